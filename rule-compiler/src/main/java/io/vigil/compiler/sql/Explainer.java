package io.vigil.compiler.sql;

import io.vigil.compiler.condition.ExpressionText;
import io.vigil.compiler.pattern.PatternDescriber;
import io.vigil.compiler.rule.CompiledRule;
import io.vigil.dsl.ast.Quantifier;
import io.vigil.dsl.ast.Sequence.Link;
import io.vigil.dsl.check.CheckedPattern;
import io.vigil.dsl.check.CheckedPattern.InnerContiguity;
import io.vigil.dsl.check.CheckedPattern.Stage;
import io.vigil.dsl.check.CheckedRule;
import io.vigil.dsl.check.CheckedTemplate;
import io.vigil.dsl.check.TypedExpr;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The text of {@code vigil explain}: per rule, the Flink Pattern as built (read back from the
 * Pattern object) and the equivalent Flink SQL {@code MATCH_RECOGNIZE} statement, or the reasons
 * there is none.
 */
public final class Explainer {

  /** The name of the always-true SQL variable that stands for skipped rows ({@code then}). */
  static final String GAP = "vigil_gap";

  private Explainer() {}

  public static String explain(CompiledRule compiled) {
    CheckedRule rule = compiled.checked();
    StringBuilder out = new StringBuilder();
    out.append("rule ")
        .append(rule.id())
        .append(" (")
        .append(rule.metadata().severity().keyword())
        .append(")");
    if (!rule.metadata().title().isBlank()) {
      out.append(": ").append(rule.metadata().title());
    }
    out.append('\n');
    out.append("  streams: ").append(String.join(", ", compiled.streams()));
    out.append("; partition by: ").append(String.join(", ", compiled.keyFields()));
    out.append("; skip: ").append(rule.skip().text()).append('\n');
    out.append("  Flink Pattern:\n");
    String tree = PatternDescriber.describe(compiled.pattern(), conditionTexts(rule));
    tree.lines().forEach(l -> out.append("    ").append(l).append('\n'));
    rule.having()
        .ifPresent(
            h ->
                out.append("  having (on each match): ")
                    .append(ExpressionText.dsl(h))
                    .append('\n'));
    if (rule.timeoutAlert().isPresent()) {
      out.append("  timed-out partial matches raise alerts (NFA built with timeout handling)\n");
    }
    SqlExport sql = toSql(rule);
    if (sql.statement().isPresent()) {
      out.append("  Flink SQL:\n");
      sql.statement().get().lines().forEach(l -> out.append("    ").append(l).append('\n'));
      sql.notes().forEach(n -> out.append("    -- note: ").append(n).append('\n'));
    } else {
      out.append("  Flink SQL: no MATCH_RECOGNIZE equivalent:\n");
      sql.notes().forEach(n -> out.append("    - ").append(n).append('\n'));
    }
    return out.toString();
  }

  /** Stage name → {@code stream: condition}, and {@code name#until} → the until condition. */
  static Map<String, String> conditionTexts(CheckedRule rule) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Stage s : rule.pattern().stages()) {
      out.put(s.name(), s.stream().name() + ": " + ExpressionText.dsl(s.condition()));
      s.until().ifPresent(u -> out.put(s.name() + "#until", ExpressionText.dsl(u)));
    }
    return out;
  }

  /** A statement when one exists; otherwise the reasons. Notes explain approximations. */
  public record SqlExport(Optional<String> statement, List<String> notes) {}

  public static SqlExport toSql(CheckedRule rule) {
    List<String> reasons = new ArrayList<>();
    if (rule.streams().size() > 1) {
      reasons.add(
          "it reads several streams ("
              + String.join(", ", rule.streams().stream().map(s -> s.name()).toList())
              + "); MATCH_RECOGNIZE reads one table");
    }
    if (rule.maxGap().isPresent()) {
      reasons.add("`max gap` has no SQL form (WITHIN bounds only first to last row)");
    }
    if (rule.alert().isEmpty() && rule.timeoutAlert().isPresent()) {
      reasons.add("its alert comes from timed-out matches, which MATCH_RECOGNIZE does not report");
    }
    List<String> patternParts = new ArrayList<>();
    for (CheckedPattern.Step step : rule.pattern().steps()) {
      if (!(step.element() instanceof Stage s)) {
        reasons.add(
            "a group with a quantifier (GroupPattern) cannot be written: Flink SQL does not support quantified sub-patterns");
        continue;
      }
      switch (step.link()) {
        case FOLLOWED_BY_ANY ->
            reasons.add(
                "`then any` (followedByAny) has no SQL form: SQL patterns take each row once");
        case NOT_NEXT, NOT_FOLLOWED_BY ->
            reasons.add(
                "`"
                    + (step.link() == Link.NOT_NEXT ? "not next" : "not then")
                    + "` (negation) has no SQL form in Flink's MATCH_RECOGNIZE");
        case FOLLOWED_BY -> patternParts.add(GAP + "*?");
        default -> {}
      }
      if (s.until().isPresent()) {
        reasons.add("`until` has no SQL form");
      }
      if (s.inner() == InnerContiguity.NON_DETERMINISTIC) {
        reasons.add("`any combination` (allowCombinations) has no SQL form");
      }
      Quantifier q = s.quantifier();
      if (q.looping() && s.inner() == InnerContiguity.RELAXED) {
        reasons.add(
            "stage `"
                + s.name()
                + "` loops with relaxed contiguity (events may come between its events): SQL quantifiers are strictly contiguous; add `consecutive` if that is meant");
      }
      patternParts.add(s.name() + sqlQuantifier(q));
    }
    if (!reasons.isEmpty()) {
      return new SqlExport(Optional.empty(), reasons);
    }
    List<String> notes = new ArrayList<>();
    committedThenNotes(rule, notes);
    String last = patternParts.get(patternParts.size() - 1);
    if (last.endsWith("}") || last.endsWith("+") || last.endsWith("*")) {
      // Flink refuses a greedy loop at the end of a pattern; Flink CEP's own loops are not greedy.
      patternParts.set(patternParts.size() - 1, last + "?");
      notes.add("the last loop is reluctant (`?`): Flink refuses a greedy loop at the end");
    }
    String table = rule.streams().get(0).name();
    String time = rule.streams().get(0).timeField().path();
    StringBuilder sql = new StringBuilder();
    sql.append("SELECT *\nFROM ").append(table).append("\n  MATCH_RECOGNIZE (\n");
    if (!rule.partitionBy().isEmpty()) {
      sql.append("    PARTITION BY ")
          .append(String.join(", ", rule.partitionBy().stream().map(k -> k.path()).toList()))
          .append('\n');
    }
    sql.append("    ORDER BY ").append(time).append('\n');
    List<String> measures = new ArrayList<>();
    rule.alert().ifPresent(t -> measures.addAll(holeMeasures(t, rule)));
    rule.having()
        .ifPresent(
            h ->
                measures.add(
                    ExpressionText.sql(h, Optional.empty(), timeFields(rule))
                        + " AS vigil_having"));
    if (!measures.isEmpty()) {
      sql.append("    MEASURES\n      ").append(String.join(",\n      ", measures)).append('\n');
    }
    sql.append("    ONE ROW PER MATCH\n");
    sql.append("    AFTER MATCH ").append(sqlSkip(rule, notes)).append('\n');
    sql.append("    PATTERN (").append(String.join(" ", patternParts)).append(")");
    rule.within().ifPresent(w -> sql.append(" WITHIN ").append(interval(w)));
    sql.append('\n');
    sql.append("    DEFINE\n      ");
    List<String> defines = new ArrayList<>();
    for (Stage s : rule.pattern().stages()) {
      defines.add(
          s.name()
              + " AS "
              + ExpressionText.sql(s.condition(), Optional.of(s.name()), timeFields(rule)));
    }
    sql.append(String.join(",\n      ", defines)).append('\n');
    sql.append("  ) AS m");
    if (rule.having().isPresent()) {
      sql.append("\nWHERE vigil_having");
    }
    if (patternParts.contains(GAP + "*?")) {
      notes.add(
          GAP
              + " is left undefined, so it matches any row: `"
              + GAP
              + "*?` skips rows like `then`");
    }
    notes.add("ORDER BY " + time + " needs " + time + " to be the table's event-time attribute");
    if (rule.timeoutAlert().isPresent()) {
      notes.add("timed-out matches (`on timeout alert`) are not reported by MATCH_RECOGNIZE");
    }
    return new SqlExport(Optional.of(sql.toString()), notes);
  }

  /**
   * {@code then} into a stage whose match can still fail after its first event (a stage of several
   * events, or one followed by {@code next}): the rule's {@code followedBy} takes the first event
   * that satisfies the stage, while {@code vigil_gap*?} may also skip it (shown on data by the SQL
   * path test in cep-runtime).
   */
  private static void committedThenNotes(CheckedRule rule, List<String> notes) {
    List<CheckedPattern.Step> steps = rule.pattern().steps();
    for (int i = 1; i < steps.size(); i++) {
      if (steps.get(i).link() != Link.FOLLOWED_BY || !(steps.get(i).element() instanceof Stage s)) {
        continue;
      }
      boolean severalEvents = s.quantifier().looping();
      boolean nextFollows = i + 1 < steps.size() && steps.get(i + 1).link() == Link.NEXT;
      if (severalEvents || nextFollows) {
        notes.add(
            "`then "
                + s.name()
                + "`: the rule takes the first event that satisfies `"
                + s.name()
                + "` and drops the match if what follows fails; "
                + GAP
                + "*? may also skip that event, so SQL can find matches the rule does not");
      }
    }
  }

  private static java.util.function.Function<String, String> timeFields(CheckedRule rule) {
    Map<String, String> byStage = new LinkedHashMap<>();
    rule.pattern().stages().forEach(s -> byStage.put(s.name(), s.stream().timeField().path()));
    return stage -> byStage.getOrDefault(stage, "*");
  }

  private static List<String> holeMeasures(CheckedTemplate template, CheckedRule rule) {
    List<String> out = new ArrayList<>();
    int n = 0;
    for (CheckedTemplate.Part part : template.parts()) {
      if (part instanceof CheckedTemplate.Hole h && !(h.expr() instanceof TypedExpr.KeyField)) {
        n++;
        out.add(ExpressionText.sql(h.expr(), Optional.empty(), timeFields(rule)) + " AS hole_" + n);
      }
    }
    return out;
  }

  private static String sqlQuantifier(Quantifier q) {
    return switch (q.kind()) {
      case ONE -> "";
      case TIMES -> "{" + q.min() + "}";
      case RANGE -> "{" + q.min() + "," + q.max().getAsInt() + "}";
      case AT_LEAST -> "{" + q.min() + ",}";
      case ONE_OR_MORE -> "+";
      case ZERO_OR_MORE -> "*";
      case OPTIONAL -> "?";
    };
  }

  private static String sqlSkip(CheckedRule rule, List<String> notes) {
    return switch (rule.skip().kind()) {
      case NONE -> {
        notes.add(
            "Flink SQL has no `no skip`; SKIP TO NEXT ROW is the closest (equal when each start event yields at most one match)");
        yield "SKIP TO NEXT ROW";
      }
      case TO_NEXT -> "SKIP TO NEXT ROW";
      case PAST_LAST_EVENT -> "SKIP PAST LAST ROW";
      case TO_FIRST -> "SKIP TO FIRST " + rule.skip().stage().orElseThrow();
      case TO_LAST -> "SKIP TO LAST " + rule.skip().stage().orElseThrow();
    };
  }

  private static String interval(Duration d) {
    long ms = d.toMillis();
    if (ms % 86_400_000 == 0) {
      return "INTERVAL '" + ms / 86_400_000 + "' DAY";
    } else if (ms % 3_600_000 == 0) {
      return "INTERVAL '" + ms / 3_600_000 + "' HOUR";
    } else if (ms % 60_000 == 0) {
      return "INTERVAL '" + ms / 60_000 + "' MINUTE";
    } else if (ms % 1000 == 0) {
      return "INTERVAL '" + ms / 1000 + "' SECOND";
    }
    return "INTERVAL '" + ms / 1000.0 + "' SECOND";
  }
}
