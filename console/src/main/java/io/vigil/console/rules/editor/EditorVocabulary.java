package io.vigil.console.rules.editor;

import io.vigil.console.streams.StreamDeclarations;
import io.vigil.dsl.schema.StreamSchema;
import io.vigil.dsl.syntax.VigilLexer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.antlr.v4.runtime.Vocabulary;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the editor's script highlights and completes: the keywords of the rule language, taken from
 * the ANTLR lexer that parses rules (one source of truth: a keyword added to the grammar is
 * highlighted and offered without touching the script), and the declared streams with their fields.
 * Pages read it as {@code ${@editorVocabulary.json()}} in a {@code data-vocabulary} attribute.
 */
@Component("editorVocabulary")
public class EditorVocabulary {

  /**
   * @param keywords every keyword of the language, sorted
   * @param streams stream name → field paths, in declaration order
   */
  public record Words(List<String> keywords, Map<String, List<String>> streams) {}

  private static final List<String> KEYWORDS = keywords(VigilLexer.VOCABULARY);

  private final StreamDeclarations declarations;
  private final JsonMapper json;

  public EditorVocabulary(StreamDeclarations declarations, JsonMapper json) {
    this.declarations = declarations;
    this.json = json;
  }

  /** The lexer's tokens whose literal is a word ({@code 'stream'}, {@code 'within'}, …). */
  static List<String> keywords(Vocabulary vocabulary) {
    TreeSet<String> words = new TreeSet<>();
    for (int type = 1; type <= vocabulary.getMaxTokenType(); type++) {
      String literal = vocabulary.getLiteralName(type);
      if (literal != null && literal.matches("'[A-Za-z_]+'")) {
        words.add(literal.substring(1, literal.length() - 1));
      }
    }
    return List.copyOf(words);
  }

  public Words words() {
    Map<String, List<String>> streams = new LinkedHashMap<>();
    List<StreamSchema> schemas = new ArrayList<>(declarations.schemas().values());
    schemas.sort(java.util.Comparator.comparing(StreamSchema::name));
    for (StreamSchema schema : schemas) {
      streams.put(schema.name(), schema.fields().stream().map(StreamSchema.Field::path).toList());
    }
    return new Words(KEYWORDS, streams);
  }

  /** Keywords only (stream declarations do not refer to fields of other streams). */
  public String keywordsJson() {
    return json.writeValueAsString(new Words(KEYWORDS, Map.of()));
  }

  public String json() {
    return json.writeValueAsString(words());
  }
}
