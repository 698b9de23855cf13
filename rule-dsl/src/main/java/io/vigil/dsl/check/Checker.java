package io.vigil.dsl.check;

import io.vigil.dsl.ast.Declaration;
import io.vigil.dsl.ast.DurationLiteral;
import io.vigil.dsl.ast.RuleDecl;
import io.vigil.dsl.ast.StreamDecl;
import io.vigil.dsl.diagnostic.Diagnostic;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.dsl.limits.Limits;
import io.vigil.dsl.schema.StreamSchema;
import io.vigil.dsl.schema.Type;
import io.vigil.dsl.syntax.SourceParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The entry point of the language: parses and checks sources together (streams declared in one file
 * are visible to rules in every other). Every problem is reported, and every rule without errors is
 * still returned.
 */
public final class Checker {

  private Checker() {}

  public static CheckResult check(List<SourceFile> sources) {
    return check(sources, Map.of());
  }

  /**
   * Checks {@code sources} with {@code knownStreams} already declared, e.g. a single rule arriving
   * on the control topic after the streams. A stream declared in {@code sources} replaces a known
   * one of the same name.
   */
  public static CheckResult check(
      List<SourceFile> sources, Map<String, StreamSchema> knownStreams) {
    return check(sources, knownStreams, Limits.defaults());
  }

  /**
   * As {@link #check(List, Map)} within {@code limits}: whatever the text, the result is a program
   * and diagnostics, never an exception.
   */
  public static CheckResult check(
      List<SourceFile> sources, Map<String, StreamSchema> knownStreams, Limits limits) {
    List<Diagnostic> diagnostics = new ArrayList<>();
    List<Declaration> declarations = new ArrayList<>();
    for (SourceFile source : sources) {
      SourceParser.Result parsed = SourceParser.parse(source, limits);
      diagnostics.addAll(parsed.diagnostics());
      declarations.addAll(parsed.declarations());
    }

    Map<String, StreamSchema> streams = new LinkedHashMap<>(knownStreams);
    Map<String, StreamDecl> declaredHere = new HashMap<>();
    for (Declaration d : declarations) {
      if (d instanceof StreamDecl s) {
        Reporter report = new Reporter(s.source());
        StreamDecl previous = declaredHere.putIfAbsent(s.name().text(), s);
        if (previous != null) {
          report.error(
              s.name().span(),
              "stream `"
                  + s.name().text()
                  + "` is declared twice (first at "
                  + previous.source().name()
                  + ":"
                  + previous.name().span().line()
                  + ")",
              "keep one declaration per stream");
        }
        Optional<StreamSchema> schema = stream(s, limits, report);
        diagnostics.addAll(report.diagnostics());
        if (previous == null) {
          schema.ifPresent(x -> streams.put(x.name(), x));
        }
      }
    }

    List<CheckedRule> rules = new ArrayList<>();
    Map<String, RuleDecl> ruleIds = new HashMap<>();
    for (Declaration d : declarations) {
      if (d instanceof RuleDecl r) {
        Reporter report = new Reporter(r.source());
        RuleDecl previous = ruleIds.putIfAbsent(r.name().text(), r);
        if (previous != null) {
          report.error(
              r.name().span(),
              "rule `"
                  + r.name().text()
                  + "` is declared twice (first at "
                  + previous.source().name()
                  + ":"
                  + previous.name().span().line()
                  + ")",
              "rule names are ids: give this one another name");
        }
        Optional<CheckedRule> checked;
        try {
          checked = new RuleChecker(r, streams, limits, report).check();
        } catch (StackOverflowError e) {
          // The parser bounds nesting; this is the last resort should a check still recurse too
          // deeply (e.g. on a thread with a small stack).
          report.error(
              r.name().span(),
              "rule `" + r.name().text() + "` is nested too deeply to be checked",
              "simplify deeply nested conditions or groups");
          checked = Optional.empty();
        }
        diagnostics.addAll(report.diagnostics());
        if (previous == null && !report.hasErrors()) {
          checked.ifPresent(rules::add);
        }
      }
    }
    // Reported in reading order: by file as given, then by position.
    List<String> order = sources.stream().map(SourceFile::name).toList();
    diagnostics.sort(
        java.util.Comparator.<Diagnostic>comparingInt(d -> order.indexOf(d.source().name()))
            .thenComparingInt(d -> d.span().line())
            .thenComparingInt(d -> d.span().column()));
    return new CheckResult(new Program(streams, rules), capped(diagnostics, limits.errors()));
  }

  /**
   * At most {@code max} diagnostics per source, then one that says how many more there are: a
   * garbled file can yield one error per token, and each is printed with its source line.
   */
  private static List<Diagnostic> capped(List<Diagnostic> sorted, int max) {
    List<Diagnostic> out = new ArrayList<>();
    Map<SourceFile, Integer> shown = new HashMap<>();
    Map<SourceFile, Diagnostic> firstHidden = new LinkedHashMap<>();
    Map<SourceFile, Integer> hidden = new HashMap<>();
    for (Diagnostic d : sorted) {
      if (shown.merge(d.source(), 1, Integer::sum) <= max) {
        out.add(d);
      } else {
        firstHidden.putIfAbsent(d.source(), d);
        hidden.merge(d.source(), 1, Integer::sum);
      }
    }
    firstHidden.forEach(
        (source, d) ->
            out.add(
                Diagnostic.error(
                    source,
                    d.span(),
                    hidden.get(source) + " more problems in this file are not shown",
                    "fix the ones above first; the limit `errors` is " + max)));
    return out;
  }

  private static Optional<StreamSchema> stream(StreamDecl decl, Limits limits, Reporter report) {
    if (decl.fields().size() > limits.fields()) {
      StreamDecl.FieldDecl first = decl.fields().get(limits.fields());
      report.error(
          first.path().span(),
          "stream `"
              + decl.name().text()
              + "` has more than "
              + limits.fields()
              + " fields, the limit `fields`",
          "declare only the fields rules read; others in the events are ignored");
      return Optional.empty();
    }
    List<StreamSchema.Field> fields = new ArrayList<>();
    Map<String, StreamDecl.FieldDecl> byPath = new HashMap<>();
    List<String> typeNames =
        Arrays.stream(Type.values()).filter(t -> t != Type.NULL).map(Type::keyword).toList();
    for (StreamDecl.FieldDecl f : decl.fields()) {
      String path = f.path().dotted();
      if (byPath.putIfAbsent(path, f) != null) {
        report.error(f.path().span(), "field `" + path + "` is declared twice", "");
        continue;
      }
      Optional<Type> type = Type.ofKeyword(f.type().text());
      if (type.isEmpty()) {
        report.error(
            f.type().span(),
            "unknown type `" + f.type().text() + "`",
            Suggestions.didYouMean(
                f.type().text(), typeNames, "types: " + String.join(", ", typeNames)));
        continue;
      }
      fields.add(new StreamSchema.Field(path, type.get(), fields.size()));
    }
    // A path cannot be both a leaf and an object: `geo: string` and `geo.country: string`.
    // Each path's own prefixes are looked up, so that a stream with many fields stays linear.
    for (String other : byPath.keySet()) {
      for (int dot = other.indexOf('.'); dot >= 0; dot = other.indexOf('.', dot + 1)) {
        String path = other.substring(0, dot);
        if (byPath.containsKey(path)) {
          report.error(
              byPath.get(path).path().span(),
              "`" + path + "` is a value here but an object in `" + other + "`",
              "declare only the leaf fields of a nested object, e.g. `" + other + ": ...`");
        }
      }
    }
    if (decl.timeField().isEmpty()) {
      report.error(
          decl.name().span(),
          "stream `" + decl.name().text() + "` has no `time` field",
          "name its event-time field, e.g. `time ts` with `ts: timestamp` among the fields");
      return Optional.empty();
    }
    String timePath = decl.timeField().get().dotted();
    Optional<StreamSchema.Field> time =
        fields.stream().filter(f -> f.path().equals(timePath)).findFirst();
    if (time.isEmpty()) {
      report.error(
          decl.timeField().get().span(),
          "the time field `" + timePath + "` is not among the fields",
          Suggestions.didYouMean(
              timePath,
              fields.stream().map(StreamSchema.Field::path).toList(),
              "declare it as `" + timePath + ": timestamp`"));
      return Optional.empty();
    }
    if (time.get().type() != Type.TIMESTAMP && time.get().type() != Type.LONG) {
      report.error(
          decl.timeField().get().span(),
          "the time field `" + timePath + "` is a " + time.get().type().keyword(),
          "event time must be a `timestamp` (ISO-8601 or epoch milliseconds) or a `long` (epoch milliseconds)");
      return Optional.empty();
    }
    decl.lateness()
        .filter(l -> l.value().compareTo(limits.lateness()) > 0)
        .ifPresent(
            l ->
                report.error(
                    l.span(),
                    "`lateness "
                        + l.text()
                        + "` is longer than "
                        + Limits.format(limits.lateness())
                        + ", the limit `lateness`",
                    "events are held back by the lateness before they are matched: a shorter"
                        + " lateness is almost always meant"));
    if (report.hasErrors()) {
      return Optional.empty();
    }
    Duration lateness = decl.lateness().map(DurationLiteral::value).orElse(Duration.ZERO);
    return Optional.of(new StreamSchema(decl.name().text(), fields, time.get().index(), lateness));
  }
}
