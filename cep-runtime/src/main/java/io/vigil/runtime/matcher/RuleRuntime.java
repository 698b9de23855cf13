package io.vigil.runtime.matcher;

import io.vigil.compiler.event.Event;
import io.vigil.runtime.matcher.skip.NoOpSteps;
import io.vigil.runtime.matcher.skip.StartSteps;
import io.vigil.runtime.matcher.state.BufferCache;
import io.vigil.runtime.matcher.state.NamespacedStateStore;
import io.vigil.runtime.rules.MatchingRule;
import io.vigil.runtime.rules.RuleFamily;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.Set;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.cep.configuration.SharedBufferCacheConfig;
import org.apache.flink.cep.nfa.ComputationState;
import org.apache.flink.cep.nfa.NFA;
import org.apache.flink.cep.nfa.NFAState;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.nfa.sharedbuffer.SharedBuffer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.state.KeyedStateBackend;

/**
 * One state generation of one rule in one parallel instance: its NFA (compiled once) and its shared
 * buffer, whose keyed state is the namespace {@code <rule>/<generation>} of the buffer states all
 * rules share ({@link NamespacedStateStore}), so that no two rules, and no two incompatible
 * versions of a rule, ever share entries. (Its NFA state on a key lives in that key's {@link
 * KeyState}, under the same state id.)
 */
final class RuleRuntime implements AutoCloseable {

  final String stateId;
  final NFA<Event> nfa;
  final SharedBuffer<Event> buffer;

  /** The buffer's states in this generation's namespace (to clear them on one key). */
  private final List<MapState<?, ?>> states;

  final RuleMetrics metrics;

  /** Proves that a step would change nothing, so that it need not be taken. */
  final NoOpSteps<Event> noOpSteps;

  /**
   * Whether a step that can change only the start state may skip the others ({@link StartSteps}).
   */
  final boolean startStepsApply;

  /** Names of the NFA's start states: partial matches there never time out. */
  final Set<String> startStates;

  /** Whether a stage has its own window (then only the NFA knows when partial matches expire). */
  final boolean stageWindows;

  /** The version it renders alerts with (a metadata-only update keeps the runtime). */
  private MatchingRule rule;

  RuleRuntime(
      MatchingRule rule,
      String stateId,
      RuntimeContext context,
      KeyedStateBackend<?> backend,
      TypeSerializer<Event> eventSerializer,
      RuleMetrics metrics)
      throws Exception {
    this.rule = rule;
    this.stateId = stateId;
    this.metrics = metrics;
    metrics.countEvaluationFailuresOf(() -> this.rule);
    this.nfa = NFACompiler.compileFactory(rule.pattern(), rule.handlesTimeout()).createNFA();
    nfa.open(context, new Configuration());
    this.noOpSteps = new NoOpSteps<>(nfa);
    this.startStepsApply = StartSteps.applies(nfa);
    Set<String> starts = new java.util.HashSet<>();
    for (org.apache.flink.cep.nfa.State<Event> state : nfa.getStates()) {
      if (state.isStart()) {
        starts.add(state.getName());
      }
    }
    this.startStates = Set.copyOf(starts);
    this.stageWindows = stageWindows(rule.pattern());
    NamespacedStateStore store = new NamespacedStateStore(backend, stateId);
    this.buffer = sharedBuffer(store, eventSerializer);
    BufferCache.bypassOnHeap(buffer, store, backend);
    this.states = store.states();
  }

  MatchingRule rule() {
    return rule;
  }

  /** The family this runtime runs, or null for a rule on its own. */
  RuleFamily family() {
    return rule instanceof RuleFamily family ? family : null;
  }

  /**
   * A new version with the same matching fingerprint: same NFA and state, its texts and metadata.
   */
  void renderAs(MatchingRule version) {
    assert version.matchingFingerprint().equals(rule.matchingFingerprint())
        : "version " + version.version() + " of " + version.id() + " matches differently";
    this.rule = version;
  }

  private static boolean stageWindows(org.apache.flink.cep.pattern.Pattern<?, ?> pattern) {
    for (org.apache.flink.cep.pattern.Pattern<?, ?> p = pattern; p != null; p = p.getPrevious()) {
      if (p.getWindowSize(org.apache.flink.cep.pattern.WithinType.PREVIOUS_AND_CURRENT).isPresent()
          || (p instanceof org.apache.flink.cep.pattern.GroupPattern<?, ?> g
              && stageWindows(g.getRawPattern()))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The earliest time at which {@code NFA.advanceTime} could time out a partial match of {@code
   * state}: before it, the call would only rebuild the same queue and trim the buffer's event
   * counters. The same test as the NFA's (not a start state, a window, {@code time - start >=
   * window}); with stage windows only the NFA knows, so it is always called.
   */
  long timeoutHorizon(NFAState state) {
    if (stageWindows) {
      return Long.MIN_VALUE;
    }
    long window = nfa.getWindowTime();
    if (window <= 0) {
      return Long.MAX_VALUE;
    }
    return timeoutHorizon(state.getPartialMatches(), startStates, window);
  }

  /**
   * The earliest {@code start + window} of the partial matches that are in no start state, or
   * {@code Long.MAX_VALUE}.
   */
  static long timeoutHorizon(
      Queue<ComputationState> partial, Set<String> startStates, long window) {
    // The NFA's queue is ordered by the time of each partial match's first event, those without
    // one last: a head that is no start state began first of all, and a key with many partial
    // matches is not walked.
    if (partial instanceof PriorityQueue<ComputationState> ordered
        && ordered.comparator() == NFAState.COMPUTATION_STATE_COMPARATOR) {
      ComputationState first = ordered.peek();
      if (first == null) {
        return Long.MAX_VALUE;
      }
      boolean firstStarts = startStates.contains(first.getCurrentStateName());
      if (!firstStarts && first.getStartEventID() != null) {
        return first.getStartTimestamp() + window;
      }
      if (firstStarts && ordered.size() == 1) {
        return Long.MAX_VALUE;
      }
    }
    long horizon = Long.MAX_VALUE;
    for (ComputationState cs : partial) {
      if (!startStates.contains(cs.getCurrentStateName())) {
        horizon = Math.min(horizon, cs.getStartTimestamp() + window);
      }
    }
    return horizon;
  }

  private static SharedBuffer<Event> sharedBuffer(
      NamespacedStateStore store, TypeSerializer<Event> eventSerializer) {
    SharedBuffer<Event> buffer =
        new SharedBuffer<>(store, eventSerializer, new SharedBufferCacheConfig());
    // The buffer starts a statistics timer thread per instance; nothing here reads the statistics.
    buffer.releaseCacheStatisticsTimer();
    return buffer;
  }

  /** Clears this generation's buffer on the current key. */
  void clearCurrentKey() {
    for (MapState<?, ?> state : states) {
      state.clear();
    }
  }

  /**
   * The descriptors of the buffer states all generations share: a generation is released on every
   * key by clearing its namespace in each (see {@link NamespacedStateStore}).
   */
  static List<MapStateDescriptor<?, ?>> bufferDescriptors(
      KeyedStateBackend<?> backend, TypeSerializer<Event> eventSerializer) {
    NamespacedStateStore store = new NamespacedStateStore(backend, "");
    sharedBuffer(store, eventSerializer).releaseCacheStatisticsTimer();
    return store.descriptors();
  }

  @Override
  public void close() throws Exception {
    nfa.close();
    buffer.releaseCacheStatisticsTimer();
  }
}
