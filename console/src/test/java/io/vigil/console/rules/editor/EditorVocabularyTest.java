package io.vigil.console.rules.editor;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.console.ConsoleMvc;
import io.vigil.console.ConsoleTestSupport;
import io.vigil.console.security.Role;
import io.vigil.dsl.syntax.VigilLexer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.context.WebApplicationContext;

/** What the editor highlights and completes comes from the lexer and the declared streams. */
class EditorVocabularyTest extends ConsoleTestSupport {

  @Autowired WebApplicationContext context;
  @Autowired EditorVocabulary vocabulary;

  @Test
  void theKeywordsAreEveryWordTokenOfTheLexerAndNothingElse() {
    var keywords = EditorVocabulary.keywords(VigilLexer.VOCABULARY);
    assertThat(keywords)
        .contains("rule", "stream", "within", "partition", "startsWith", "consecutive", "timeout")
        .doesNotContain("(", "IDENT", "STRING")
        .allMatch(k -> k.matches("[A-Za-z_]+"));
    for (String k : keywords) {
      var lexer = new VigilLexer(org.antlr.v4.runtime.CharStreams.fromString(k));
      assertThat(VigilLexer.VOCABULARY.getLiteralName(lexer.nextToken().getType()))
          .as("the lexer reads %s as its keyword token", k)
          .isEqualTo("'" + k + "'");
    }
  }

  @Test
  void theEditorPagesCarryTheKeywordsAndTheFieldsOfEachDeclaredStream() throws Exception {
    var words = vocabulary.words();
    assertThat(words.streams()).containsKeys("payments", "logins", "readings", "maintenance");
    assertThat(words.streams().get("payments")).contains("cardId", "amount", "ts");

    ConsoleMvc analyst = ConsoleMvc.as(context, "analyst", Role.ANALYST);
    String editor = analyst.get("/rules/new").getContentAsString();
    assertThat(editor)
        .contains("data-vocabulary=\"{&quot;keywords&quot;:[")
        .contains("&quot;payments&quot;:[&quot;eventId&quot;,&quot;cardId&quot;")
        .contains("aria-controls=\"source-completions\"")
        .contains("/js/editor.js");
    assertThat(analyst.get("/streams/new").getContentAsString())
        .contains("data-vocabulary=\"{&quot;keywords&quot;:[")
        .contains("&quot;streams&quot;:{}");
  }
}
