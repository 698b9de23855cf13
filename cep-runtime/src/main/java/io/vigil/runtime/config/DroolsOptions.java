package io.vigil.runtime.config;

import static io.vigil.runtime.config.Parsers.positive;
import static io.vigil.runtime.config.Parsers.positiveDuration;

import io.vigil.compiler.drools.DecisionLimits;
import java.time.Duration;
import java.util.List;

/** How much one DRL evaluation and one stateful session may take (docs/drools.md, Limits). */
public final class DroolsOptions {

  private DroolsOptions() {}

  public static final Option<Integer> DRL_MAX_FIRINGS =
      new Option<>(
          "drools.max-firings-per-evaluation",
          Integer.toString(DecisionLimits.defaults().maxFirings()),
          "Rule firings one DRL evaluation (one event) may make; reaching it skips the event"
              + " (docs/drools.md, Limits).",
          positive());

  public static final Option<Duration> DRL_MAX_TIME =
      new Option<>(
          "drools.max-evaluation-time",
          text(DecisionLimits.defaults().maxTime()),
          "Wall-clock time one DRL evaluation may take, checked between rule firings; past it the"
              + " event is skipped (docs/drools.md, Limits).",
          positiveDuration());

  public static final Option<Integer> DRL_MAX_FACTS_PER_KEY =
      new Option<>(
          "drools.max-facts-per-key",
          Integer.toString(DecisionLimits.defaults().maxFactsPerKey()),
          "Facts a stateful DRL session of one key keeps; the oldest beyond it are retracted"
              + " (metric drlFactsDroppedByCap).",
          positive());

  /** {@code 1s} rather than {@code 1000ms} where the duration is whole seconds. */
  private static String text(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  /** The options of this group, in documentation order. */
  public static List<Option<?>> all() {
    return List.of(DRL_MAX_FIRINGS, DRL_MAX_TIME, DRL_MAX_FACTS_PER_KEY);
  }
}
