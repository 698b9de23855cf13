package io.vigil.compiler.drools;

import io.vigil.dsl.check.Suggestions;
import io.vigil.dsl.diagnostic.Diagnostic;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.dsl.diagnostic.Span;
import io.vigil.dsl.schema.StreamSchema;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kie.api.builder.Message;

/**
 * Turns Drools' build messages into diagnostics. Drools gives a line (often the rule's first line
 * for an error in a consequence) and rarely a column, so the culprit is looked for in the source:
 * the unknown type, field or name the message quotes, from the reported line down to the rule's
 * {@code end}. Unknown stream and field names are reported in Vigil's terms, with a hint.
 */
final class DroolsMessages {

  private static final Pattern UNKNOWN_TYPE =
      Pattern.compile("Unable to resolve ObjectType '([^']+)'");
  private static final Pattern UNKNOWN_FIELD =
      Pattern.compile(
          "unable to resolve method using strict-mode: (?:[\\w.]*\\.)?(\\w+)\\.(\\w+)\\(\\)");
  private static final Pattern UNKNOWN_GETTER =
      Pattern.compile("The method (get|is)(\\w+)\\(\\) is undefined for the type (\\w+)");
  private static final Pattern UNRESOLVED = Pattern.compile("(\\S+) cannot be resolved");
  private static final Pattern PARSER_POSITION = Pattern.compile("Line (\\d+):(\\d+)");

  private final SourceFile source;
  private final DecisionHeader header;
  private final Map<String, StreamSchema> streams;
  private final int lines;

  DroolsMessages(SourceFile source, DecisionHeader header, Map<String, StreamSchema> streams) {
    this.source = source;
    this.header = header;
    this.streams = streams;
    this.lines = Math.max(1, (int) source.text().lines().count());
  }

  /** A build that failed without a message to show (an exception inside Drools). */
  static Diagnostic failure(SourceFile source, Throwable e) {
    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return Diagnostic.error(
        source, Span.at(1, 1), "Drools cannot build this rule set: " + firstLine(reason));
  }

  Optional<Diagnostic> toDiagnostic(Message message) {
    String text = message.getText() == null ? "" : message.getText().strip();
    if (text.startsWith("Parser returned a null Package")) {
      // Always follows a parser error that says more.
      return Optional.empty();
    }
    int line = message.getLine() >= 1 && message.getLine() <= lines ? message.getLine() : 1;
    boolean error = message.getLevel() == Message.Level.ERROR;
    Matcher m = UNKNOWN_TYPE.matcher(text);
    if (m.find()) {
      String name = m.group(1);
      List<String> read = header.streams();
      String hint =
          streams.containsKey(name)
              ? "add it to the rule set's streams: `// vigil: streams "
                  + String.join(", ", read)
                  + ", "
                  + name
                  + "`"
              : Suggestions.didYouMean(
                  name, read, "the facts are the streams named by `// vigil: streams`: " + read);
      return Optional.of(
          at(true, locate(name, line), "unknown stream or type '" + name + "'", hint));
    }
    m = UNKNOWN_FIELD.matcher(text);
    if (m.find()) {
      return Optional.of(unknownField(m.group(1), m.group(2), line));
    }
    m = UNKNOWN_GETTER.matcher(text);
    if (m.find() && header.streams().contains(m.group(3))) {
      String field = Character.toLowerCase(m.group(2).charAt(0)) + m.group(2).substring(1);
      return Optional.of(unknownField(m.group(3), field, line, m.group(1) + m.group(2)));
    }
    m = PARSER_POSITION.matcher(text);
    if (m.find()) {
      int parserLine = Integer.parseInt(m.group(1));
      int column = Integer.parseInt(m.group(2)) + 1;
      if (parserLine >= 1 && parserLine <= lines) {
        return Optional.of(
            at(
                error,
                new Span(parserLine, clampColumn(parserLine, column), 1),
                cleanup(text),
                null));
      }
    }
    m = UNRESOLVED.matcher(text);
    if (m.find()) {
      return Optional.of(
          at(error, locate(m.group(1), line), m.group(1) + " cannot be resolved", null));
    }
    return Optional.of(at(error, firstToken(line), cleanup(text), null));
  }

  private Diagnostic unknownField(String stream, String field, int line) {
    return unknownField(stream, field, line, field);
  }

  private Diagnostic unknownField(String stream, String field, int line, String token) {
    StreamSchema schema = streams.get(stream);
    List<String> fields =
        schema == null
            ? List.of()
            : schema.fields().stream().map(f -> DecisionFacts.fieldName(f.path())).toList();
    return at(
        true,
        locate(token, line),
        "stream " + stream + " has no field '" + field + "'",
        Suggestions.didYouMean(field, fields, "its fields: " + String.join(", ", fields)));
  }

  private Diagnostic at(boolean error, Span span, String message, String hint) {
    if (error) {
      return hint == null
          ? Diagnostic.error(source, span, message)
          : Diagnostic.error(source, span, message, hint);
    }
    return Diagnostic.warning(source, span, message, hint == null ? "" : hint);
  }

  /**
   * The first occurrence of {@code token} as a whole word from {@code line} down to the end of the
   * rule; the first token of {@code line} if it is not there.
   */
  private Span locate(String token, int line) {
    Pattern word = Pattern.compile("(?<![\\w$])" + Pattern.quote(token) + "(?![\\w$])");
    for (int l = line; l <= lines; l++) {
      String text = source.line(l);
      Matcher m = word.matcher(text);
      if (m.find()) {
        return new Span(l, m.start() + 1, token.length());
      }
      if (l > line && text.strip().equals("end")) {
        break;
      }
    }
    return firstToken(line);
  }

  private Span firstToken(int line) {
    String text = source.line(line);
    int column = 1;
    while (column <= text.length() && Character.isWhitespace(text.charAt(column - 1))) {
      column++;
    }
    return new Span(line, Math.min(column, Math.max(1, text.length())), 1);
  }

  private int clampColumn(int line, int column) {
    return Math.max(1, Math.min(column, source.line(line).length() + 1));
  }

  private static String cleanup(String text) {
    return firstLine(text).replaceFirst("^\\[ERR \\d+\\] ", "");
  }

  private static String firstLine(String text) {
    int nl = text.indexOf('\n');
    return (nl < 0 ? text : text.substring(0, nl)).strip();
  }
}
