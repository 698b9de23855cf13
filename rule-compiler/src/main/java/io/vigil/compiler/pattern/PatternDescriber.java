package io.vigil.compiler.pattern;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.nfa.aftermatch.NoSkipStrategy;
import org.apache.flink.cep.nfa.aftermatch.SkipPastLastStrategy;
import org.apache.flink.cep.nfa.aftermatch.SkipToFirstStrategy;
import org.apache.flink.cep.nfa.aftermatch.SkipToLastStrategy;
import org.apache.flink.cep.nfa.aftermatch.SkipToNextStrategy;
import org.apache.flink.cep.pattern.GroupPattern;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.Quantifier;
import org.apache.flink.cep.pattern.Quantifier.ConsumingStrategy;
import org.apache.flink.cep.pattern.Quantifier.QuantifierProperty;
import org.apache.flink.cep.pattern.WithinType;

/**
 * Describes a Flink {@link Pattern} as the Java calls that would build it, read back from the
 * Pattern object itself (names, consuming strategies, quantifier properties, times, windows), so
 * that {@code vigil explain} and the golden tests show what Flink actually got.
 */
public final class PatternDescriber {

  private PatternDescriber() {}

  /**
   * One line per element; {@code conditions} maps a stage name to the text shown in {@code
   * where(...)}.
   */
  public static String describe(Pattern<?, ?> pattern, Map<String, String> conditions) {
    StringBuilder out = new StringBuilder();
    describe(pattern, conditions, "", true, out);
    return out.toString();
  }

  private static void describe(
      Pattern<?, ?> last,
      Map<String, String> conditions,
      String indent,
      boolean outer,
      StringBuilder out) {
    Deque<Pattern<?, ?>> chain = new ArrayDeque<>();
    for (Pattern<?, ?> p = last; p != null; p = p.getPrevious()) {
      chain.push(p);
    }
    boolean first = true;
    for (Pattern<?, ?> p : chain) {
      String link = first ? "begin" : linkMethod(p.getQuantifier().getConsumingStrategy());
      String skip = first && outer ? ", " + skipText(p.getAfterMatchSkipStrategy()) : "";
      if (p instanceof GroupPattern<?, ?> g) {
        out.append(indent)
            .append(first ? "" : ".")
            .append(link)
            .append(skip.isEmpty() ? "(\n" : "((\n");
        describe(g.getRawPattern(), conditions, indent + "    ", false, out);
        out.append(indent).append(skip.isEmpty() ? ")" : "), " + skip.substring(2) + ")");
      } else {
        out.append(indent)
            .append(first ? "" : ".")
            .append(link)
            .append("(\"")
            .append(p.getName())
            .append('"')
            .append(skip)
            .append(")");
        out.append(".where(").append(conditions.getOrDefault(p.getName(), "?")).append(")");
      }
      out.append(quantifierText(p));
      if (p.getUntilCondition() != null) {
        out.append(".until(")
            .append(conditions.getOrDefault(p.getName() + "#until", "?"))
            .append(")");
      }
      p.getWindowSize(WithinType.PREVIOUS_AND_CURRENT)
          .ifPresent(
              d -> out.append(".within(").append(duration(d)).append(", PREVIOUS_AND_CURRENT)"));
      p.getWindowSize(WithinType.FIRST_AND_LAST)
          .ifPresent(d -> out.append(".within(").append(duration(d)).append(", FIRST_AND_LAST)"));
      out.append('\n');
      first = false;
    }
  }

  private static String linkMethod(ConsumingStrategy strategy) {
    return switch (strategy) {
      case STRICT -> "next";
      case SKIP_TILL_NEXT -> "followedBy";
      case SKIP_TILL_ANY -> "followedByAny";
      case NOT_NEXT -> "notNext";
      case NOT_FOLLOW -> "notFollowedBy";
    };
  }

  private static String quantifierText(Pattern<?, ?> p) {
    Quantifier q = p.getQuantifier();
    List<String> calls = new ArrayList<>();
    if (q.hasProperty(QuantifierProperty.TIMES)) {
      int from = p.getTimes().getFrom();
      int to = p.getTimes().getTo();
      calls.add(from == to ? "times(" + from + ")" : "times(" + from + ", " + to + ")");
    } else if (q.hasProperty(QuantifierProperty.LOOPING)) {
      int from = p.getTimes() == null ? 1 : p.getTimes().getFrom();
      calls.add(from <= 1 ? "oneOrMore()" : "timesOrMore(" + from + ")");
    }
    if (q.hasProperty(QuantifierProperty.OPTIONAL)) {
      calls.add("optional()");
    }
    if (q.hasProperty(QuantifierProperty.LOOPING) || q.hasProperty(QuantifierProperty.TIMES)) {
      ConsumingStrategy inner = q.getInnerConsumingStrategy();
      if (inner == ConsumingStrategy.STRICT) {
        calls.add("consecutive()");
      } else if (inner == ConsumingStrategy.SKIP_TILL_ANY) {
        calls.add("allowCombinations()");
      }
    }
    if (q.hasProperty(QuantifierProperty.GREEDY)) {
      calls.add("greedy()");
    }
    StringBuilder out = new StringBuilder();
    calls.forEach(c -> out.append('.').append(c));
    return out.toString();
  }

  public static String skipText(AfterMatchSkipStrategy skip) {
    if (skip instanceof NoSkipStrategy) {
      return "noSkip()";
    } else if (skip instanceof SkipToNextStrategy) {
      return "skipToNext()";
    } else if (skip instanceof SkipPastLastStrategy) {
      return "skipPastLastEvent()";
    } else if (skip instanceof SkipToFirstStrategy) {
      return "skipToFirst(\"" + skip.getPatternName().orElse("?") + "\")";
    } else if (skip instanceof SkipToLastStrategy) {
      return "skipToLast(\"" + skip.getPatternName().orElse("?") + "\")";
    }
    return skip.toString();
  }

  /** {@code 10m}, {@code 1h}, {@code 90s}: the largest unit that divides evenly. */
  public static String duration(Duration d) {
    long ms = d.toMillis();
    if (ms % 86_400_000 == 0) {
      return ms / 86_400_000 + "d";
    } else if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    } else if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    } else if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
