package io.vigil.runtime.matcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.cli.RuleFiles;
import io.vigil.compiler.event.Event;
import io.vigil.compiler.pattern.NfaContexts;
import io.vigil.compiler.rule.Compilation;
import io.vigil.compiler.rule.CompiledRule;
import io.vigil.compiler.rule.RuleCompiler;
import io.vigil.runtime.Samples;
import io.vigil.runtime.engine.VigilEngine;
import io.vigil.runtime.matcher.skip.MatchContext;
import io.vigil.runtime.matcher.skip.NoOpSteps;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.cep.configuration.SharedBufferCacheConfig;
import org.apache.flink.cep.nfa.NFA;
import org.apache.flink.cep.nfa.NFAState;
import org.apache.flink.cep.nfa.NFAStateSerializer;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.nfa.sharedbuffer.SharedBuffer;
import org.apache.flink.cep.nfa.sharedbuffer.SharedBufferAccessor;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;

/**
 * The law behind skipping NFA steps: whenever {@link NoOpSteps} says a step changes nothing,
 * Flink's {@code NFA.process} on that event returns no match and leaves the NFA state exactly as it
 * was (same partial and completed matches, in the same heap order, no change flag). Checked step by
 * step on Flink's own NFA for the hand-built shapes (every contiguity, loops, optional stages,
 * negation, windows, skip strategies) and for every sample rule (iterative conditions reading
 * earlier stages), over random event sequences. And the law behind reading a stage's latest event
 * without the whole partial match: before each step, for every partial match and every stage, the
 * {@link MatchContext}'s latest event of the stage is the last of the stage's events in the partial
 * match Flink's shared buffer holds (or none for both).
 */
class NoOpStepsPropertiesTest {

  private static final Map<String, Long> SKIPPED = new LinkedHashMap<>();
  private static final Map<String, Long> STEPPED = new LinkedHashMap<>();
  private static final Map<String, Long> SKIPPED_WITH_PARTIAL_MATCHES = new LinkedHashMap<>();

  /** Per rule, stages whose latest event the context found from the partial match's last node. */
  private static final Map<String, Long> LATEST_FROM_LAST_NODE = new LinkedHashMap<>();

  /** Per rule, stages whose latest event was read from Flink's own context's last node. */
  private static final Map<String, Long> LATEST_FROM_FLINK_CONTEXT = new LinkedHashMap<>();

  /** Per rule, steps whose event held none of the texts that could wake the NFA state. */
  private static final Map<String, Long> NOT_WOKEN = new LinkedHashMap<>();

  @AfterContainer
  static void theLawWasExercised() {
    // A law that is never put to the test proves nothing: most shapes must have had both answers.
    System.out.println(
        "no-op steps proven: "
            + SKIPPED
            + "; of which with a live partial match: "
            + SKIPPED_WITH_PARTIAL_MATCHES
            + "; stepped: "
            + STEPPED
            + "; not woken: "
            + NOT_WOKEN);
    long shapesWithBoth =
        SKIPPED_WITH_PARTIAL_MATCHES.keySet().stream()
            .filter(k -> SKIPPED_WITH_PARTIAL_MATCHES.get(k) > 0 && STEPPED.get(k) > 0)
            .count();
    assertThat(shapesWithBoth).isGreaterThanOrEqualTo(10);
    // The wake texts are put to the test too: several sample rules left events aside by them.
    assertThat(NOT_WOKEN.values().stream().filter(n -> n > 0).count()).isGreaterThanOrEqualTo(3);
    System.out.println("latest events read from the last node: " + LATEST_FROM_LAST_NODE);
    assertThat(LATEST_FROM_LAST_NODE.values().stream().filter(n -> n > 0).count())
        .isGreaterThanOrEqualTo(10);
    System.out.println("latest events read from Flink's context: " + LATEST_FROM_FLINK_CONTEXT);
    assertThat(LATEST_FROM_FLINK_CONTEXT.values().stream().filter(n -> n > 0).count())
        .isGreaterThanOrEqualTo(10);
  }

  record Draft(String stream, String kind, int advance) {}

  @Provide
  Arbitrary<List<Draft>> handBuiltHistories() {
    return Combinators.combine(
            Arbitraries.of("s", "s", "s", "t"),
            Arbitraries.of("A", "A", "B", "C", "D"),
            Arbitraries.integers().between(0, 4))
        .as(Draft::new)
        .list()
        .ofMinSize(10)
        .ofMaxSize(80);
  }

  @Property(tries = 60, seed = "20261130")
  void aProvenNoOpStepOfAHandBuiltShapeChangesNothing(
      @ForAll("handBuiltHistories") List<Draft> drafts) throws Exception {
    Map<String, Pattern<Event, Event>> patterns = new LinkedHashMap<>();
    HandBuiltRules.SHAPES.forEach((name, shape) -> patterns.put(name, shape.pattern().get()));
    List<Event> events = new ArrayList<>();
    long ts = 1_000;
    long value = 0;
    for (Draft d : drafts) {
      ts += d.advance();
      events.add(HandBuiltRules.event(d.stream(), "k", d.kind(), value++, ts));
    }
    assertThat(violations(patterns, events)).isEmpty();
  }

  @Property(tries = 30, seed = "20261130")
  void aProvenNoOpStepOfASampleRuleChangesNothing(
      @ForAll("sampleHistories") List<DifferentialSampleRulesTest.Draft> drafts) throws Exception {
    Compilation compilation = RuleCompiler.compile(RuleFiles.read(List.of(Samples.dir())));
    assertThat(compilation.errors()).as(compilation.render()).isEmpty();
    Map<String, Pattern<Event, Event>> patterns = new LinkedHashMap<>();
    for (CompiledRule rule : compilation.rules()) {
      patterns.put(rule.id(), rule.pattern());
    }
    // Every event to every rule, as if of one key: the law holds for any sequence.
    List<Event> events = new ArrayList<>(DifferentialSampleRulesTest.events(drafts, compilation));
    events.sort(java.util.Comparator.comparingLong(Event::timestamp));
    assertThat(violations(patterns, events)).isEmpty();
  }

  @Provide
  Arbitrary<List<DifferentialSampleRulesTest.Draft>> sampleHistories() {
    return new DifferentialSampleRulesTest().histories();
  }

  private static List<String> violations(
      Map<String, Pattern<Event, Event>> patterns, List<Event> events) throws Exception {
    LawCheck check = new LawCheck(patterns);
    try (KeyedOneInputStreamOperatorTestHarness<String, Event, String> harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(check), e -> "k", Types.STRING)) {
      harness.open();
      for (Event event : events) {
        harness.processElement(event, event.timestamp());
      }
      List<String> out = new ArrayList<>();
      harness.extractOutputValues().forEach(out::add);
      return out;
    }
  }

  /**
   * Drives one NFA per pattern as CepOperator does (advance time, then process) and, before each
   * step, asks {@link NoOpSteps}; a step it calls a no-op is taken anyway and compared.
   */
  static final class LawCheck extends KeyedProcessFunction<String, Event, String> {
    private final Map<String, Pattern<Event, Event>> patterns;
    private transient Map<String, Driven> driven;

    LawCheck(Map<String, Pattern<Event, Event>> patterns) {
      this.patterns = patterns;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
      driven = new LinkedHashMap<>();
      for (Map.Entry<String, Pattern<Event, Event>> e : patterns.entrySet()) {
        driven.put(e.getKey(), new Driven(e.getKey(), e.getValue(), this));
      }
    }

    @Override
    public void processElement(Event event, Context ctx, Collector<String> out) throws Exception {
      for (Driven d : driven.values()) {
        d.step(event, out);
      }
    }
  }

  private static boolean wakes(NoOpSteps.Wake wake, Event event) {
    return wake.stream().equals(event.stream())
        && wake.field() < event.size()
        && wake.value().equals(event.value(wake.field()));
  }

  private static final class Driven {
    final String name;
    final NFA<Event> nfa;
    final NoOpSteps<Event> noOp;
    final SharedBuffer<Event> buffer;
    final ValueState<NFAState> state;
    final AfterMatchSkipStrategy skip;
    final TypeSerializer<NFAState> serializer = new NFAStateSerializer();

    /** The pattern's stage names, as conditions name them. */
    final List<String> stages = new ArrayList<>();

    Driven(String name, Pattern<Event, Event> pattern, LawCheck function) throws Exception {
      this.name = name;
      this.skip = pattern.getAfterMatchSkipStrategy();
      for (Pattern<Event, ?> p = pattern; p != null; p = p.getPrevious()) {
        stages.add(p.getName());
      }
      this.nfa = NFACompiler.compileFactory(pattern, true).createNFA();
      nfa.open(function.getRuntimeContext(), new Configuration());
      this.noOp = new NoOpSteps<>(nfa);
      this.buffer =
          new SharedBuffer<>(
              new PrefixedStateStore(function.getRuntimeContext(), "law/" + name + "/"),
              VigilEngine.eventSerializer(),
              new SharedBufferCacheConfig());
      buffer.releaseCacheStatisticsTimer();
      this.state =
          function
              .getRuntimeContext()
              .getState(new ValueStateDescriptor<>("law/" + name + "/nfa", serializer));
      SKIPPED.putIfAbsent(name, 0L);
      SKIPPED_WITH_PARTIAL_MATCHES.putIfAbsent(name, 0L);
      STEPPED.putIfAbsent(name, 0L);
    }

    void step(Event event, Collector<String> out) throws Exception {
      NFAState current = state.value();
      if (current == null) {
        current = nfa.createInitialNFAState();
      }
      long ts = event.timestamp();
      try (SharedBufferAccessor<Event> accessor = buffer.getAccessor()) {
        nfa.advanceTime(accessor, current, ts, skip);
        current.resetStateChanged();
        checkLatest(accessor, current, ts, out);
        NFAState before = serializer.copy(current);
        boolean proven = noOp.unchanged(accessor, current, event, ts, new IdentityHashMap<>());
        java.util.Optional<List<NoOpSteps.Wake>> wakes =
            noOp.wakes(accessor, current, new IdentityHashMap<>());
        boolean woken = wakes.isEmpty() || wakes.get().stream().anyMatch(w -> wakes(w, event));
        if (!woken) {
          NOT_WOKEN.merge(name, 1L, Long::sum);
          if (!proven) {
            out.collect(
                name
                    + ": an event holding none of the texts "
                    + wakes.get()
                    + " was no no-op: "
                    + event);
          }
        }
        Collection<Map<String, List<Event>>> matches =
            nfa.process(accessor, current, event, ts, skip, System::currentTimeMillis);
        if (proven) {
          SKIPPED.merge(name, 1L, Long::sum);
          if (before.getPartialMatches().stream()
              .anyMatch(c -> c.getPreviousBufferEntry() != null)) {
            SKIPPED_WITH_PARTIAL_MATCHES.merge(name, 1L, Long::sum);
          }
          if (!matches.isEmpty() || current.isStateChanged() || !current.equals(before)) {
            out.collect(
                name
                    + ": a step called a no-op changed the NFA on "
                    + event
                    + "\n  before: "
                    + before
                    + "\n  after:  "
                    + current
                    + "\n  matches: "
                    + matches);
          }
        } else {
          STEPPED.merge(name, 1L, Long::sum);
        }
      }
      state.update(current);
    }

    /** The context's latest event of each stage against the partial match read in full. */
    private void checkLatest(
        SharedBufferAccessor<Event> accessor, NFAState current, long ts, Collector<String> out)
        throws Exception {
      for (org.apache.flink.cep.nfa.ComputationState computation : current.getPartialMatches()) {
        if (computation.getPreviousBufferEntry() == null) {
          continue;
        }
        Map<String, List<Event>> full =
            accessor.materializeMatch(
                accessor
                    .extractPatterns(computation.getPreviousBufferEntry(), computation.getVersion())
                    .get(0));
        String lastNodeStage =
            org.apache.flink.cep.nfa.compiler.NFAStateNameHandler.getOriginalNameFromInternal(
                computation.getPreviousBufferEntry().getPageName());
        // One context for every stage, as a condition reading several stages has it: first the
        // stage of the last node (read from it alone), then every stage, so that what the context
        // keeps of the one must not answer for another.
        MatchContext<Event> context =
            new MatchContext<Event>().of(accessor, computation, ts, new IdentityHashMap<>());
        IterativeCondition.Context<Event> flinkContext = flinkContext(accessor, computation, ts);
        List<String> asked = new ArrayList<>();
        asked.add(lastNodeStage);
        asked.addAll(stages);
        for (String stage : asked) {
          Event latest = context.latest(stage);
          List<Event> held = full.getOrDefault(stage, List.of());
          Event expected = held.isEmpty() ? null : held.get(held.size() - 1);
          if (!java.util.Objects.equals(latest, expected)) {
            out.collect(
                name + ": latest of " + stage + " was " + latest + ", the match holds " + held);
          }
          if (stage.equals(lastNodeStage)) {
            LATEST_FROM_LAST_NODE.merge(name, 1L, Long::sum);
          }
          java.util.Optional<Event> fromFlink = NfaContexts.latest(flinkContext, stage);
          if (fromFlink.isPresent()) {
            LATEST_FROM_FLINK_CONTEXT.merge(name, 1L, Long::sum);
            if (!fromFlink.get().equals(expected)) {
              out.collect(
                  name
                      + ": Flink's context gave "
                      + fromFlink.get()
                      + " as the latest of "
                      + stage
                      + ", the match holds "
                      + held);
            }
          }
        }
      }
    }

    /** The context Flink's NFA gives a condition that it tests on {@code computation}. */
    @SuppressWarnings("unchecked")
    private IterativeCondition.Context<Event> flinkContext(
        SharedBufferAccessor<Event> accessor,
        org.apache.flink.cep.nfa.ComputationState computation,
        long ts)
        throws Exception {
      Class<?> type = Class.forName(NFA.class.getName() + "$ConditionContext");
      java.lang.reflect.Constructor<?> constructor =
          type.getDeclaredConstructor(
              NFA.class,
              SharedBufferAccessor.class,
              org.apache.flink.cep.nfa.ComputationState.class,
              org.apache.flink.cep.time.TimerService.class,
              long.class);
      constructor.setAccessible(true);
      org.apache.flink.cep.time.TimerService clock = System::currentTimeMillis;
      return (IterativeCondition.Context<Event>)
          constructor.newInstance(nfa, accessor, computation, clock, ts);
    }
  }
}
