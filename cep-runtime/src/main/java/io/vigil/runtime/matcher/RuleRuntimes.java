package io.vigil.runtime.matcher;

import io.vigil.compiler.event.Event;
import io.vigil.runtime.matcher.state.KeyState;
import io.vigil.runtime.rules.MatchingRule;
import io.vigil.runtime.rules.RuleBook;
import io.vigil.runtime.rules.RuleFamily;
import io.vigil.runtime.rules.RuleGeneration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.State;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.KeyedStateFunction;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;

/**
 * The {@link RuleRuntime} of each running rule generation in this parallel instance, made on first
 * use, and each rule's metrics; and the release of a generation's state on every key.
 */
final class RuleRuntimes implements AutoCloseable {

  private final RuleBook book;
  private final RuntimeContext context;
  private final KeyedStateBackend<Object> backend;
  private final TypeSerializer<Event> eventSerializer;
  private final Map<String, RuleRuntime> byStateId = new HashMap<>();
  private final Map<String, RuleMetrics> metrics = new HashMap<>();

  /** The running version of each family member that has metrics (for evaluation failures). */
  private final Map<String, MatchingRule> members = new HashMap<>();

  private List<MapStateDescriptor<?, ?>> bufferDescriptors;

  RuleRuntimes(
      RuleBook book,
      RuntimeContext context,
      KeyedStateBackend<Object> backend,
      TypeSerializer<Event> eventSerializer) {
    this.book = book;
    this.context = context;
    this.backend = backend;
    this.eventSerializer = eventSerializer;
  }

  RuleRuntime of(RuleBook.ActiveRule active) throws Exception {
    RuleRuntime runtime = byStateId.get(active.stateId());
    if (runtime == null) {
      RuleMetrics ruleMetrics =
          metrics.computeIfAbsent(
              active.rule().id(),
              id ->
                  active.rule() instanceof RuleFamily
                      ? RuleMetrics.ofFamily(context.getMetricGroup(), id)
                      : new RuleMetrics(context.getMetricGroup(), id));
      if (active.rule() instanceof RuleFamily family) {
        ruleMetrics.passOnTo(membersMetrics(family));
      }
      runtime =
          new RuleRuntime(
              active.rule(), active.stateId(), context, backend, eventSerializer, ruleMetrics);
      byStateId.put(active.stateId(), runtime);
    } else if (runtime.rule() != active.rule() && active.rule() instanceof RuleFamily family) {
      runtime = follow(runtime, family, active.stateId());
    }
    return runtime;
  }

  /**
   * The runtime of the same family with other members (the index was rebuilt): when its NFA tests
   * the members' own conditions, or runs with another window, a new NFA over the same state (the
   * states are named by the stages, which the members share); else the same, rendering as {@code
   * family}.
   */
  private RuleRuntime follow(RuleRuntime runtime, RuleFamily family, String stateId)
      throws Exception {
    runtime.metrics.passOnTo(membersMetrics(family));
    if (runtime.rule() instanceof RuleFamily before && !family.needsNewNfa(before)) {
      runtime.renderAs(family);
      return runtime;
    }
    runtime.close();
    RuleRuntime rebuilt =
        new RuleRuntime(family, stateId, context, backend, eventSerializer, runtime.metrics);
    byStateId.put(stateId, rebuilt);
    return rebuilt;
  }

  /** The metrics of the members of {@code family}. */
  private List<RuleMetrics> membersMetrics(RuleFamily family) {
    return family.members().stream().map(m -> metricsOf(m.rule())).toList();
  }

  /** The metrics of a rule that runs in a family. */
  RuleMetrics metricsOf(MatchingRule member) {
    RuleMetrics m =
        metrics.computeIfAbsent(member.id(), id -> new RuleMetrics(context.getMetricGroup(), id));
    members.put(member.id(), member);
    m.countEvaluationFailuresOf(() -> members.get(member.id()));
    return m;
  }

  /** The runtime of a running generation; empty when the book no longer runs it. */
  Optional<RuleRuntime> ofRunning(String stateId) throws Exception {
    Optional<RuleBook.ActiveRule> active = book.activeByStateId(stateId);
    return active.isPresent() ? Optional.of(of(active.get())) : Optional.empty();
  }

  /**
   * After a command: a metadata-only update keeps the runtime (and its NFA) but renders with the
   * new version; a family whose members changed follows them (a new NFA when it needs one); the
   * metrics of a rule that no longer runs here (disabled, deleted) are unregistered.
   */
  void follow(List<RuleBook.ActiveRule> running, List<RuleBook.ActiveRule> families)
      throws Exception {
    Set<String> ids = new HashSet<>();
    for (RuleBook.ActiveRule family : families) {
      ids.add(family.rule().id());
      RuleRuntime runtime = byStateId.get(family.stateId());
      RuleFamily unit = (RuleFamily) family.rule();
      if (runtime != null && runtime.rule() != unit) {
        follow(runtime, unit, family.stateId());
      }
      RuleMetrics familyMetrics = metrics.get(family.rule().id());
      if (familyMetrics != null) {
        familyMetrics.passOnTo(membersMetrics(unit));
      }
    }
    for (RuleBook.ActiveRule active : running) {
      if (members.containsKey(active.rule().id())) {
        members.put(active.rule().id(), active.rule());
      }
      ids.add(active.rule().id());
      RuleRuntime runtime = byStateId.get(active.stateId());
      if (runtime != null) {
        runtime.renderAs(active.rule());
      }
    }
    metrics
        .entrySet()
        .removeIf(
            e -> {
              if (ids.contains(e.getKey())) {
                return false;
              }
              e.getValue().close();
              members.remove(e.getKey());
              return true;
            });
  }

  /** Clears a rule generation's state on every key of this instance. */
  void release(RuleGeneration generation) throws Exception {
    String stateId = generation.stateId();
    RuleRuntime runtime = byStateId.remove(stateId);
    if (runtime != null) {
      runtime.close();
    }
    for (MapStateDescriptor<?, ?> descriptor : bufferDescriptors()) {
      clearEverywhere(stateId, descriptor);
    }
    backend.applyToAllKeys(
        VoidNamespace.INSTANCE,
        VoidNamespaceSerializer.INSTANCE,
        KeyState.DESCRIPTOR,
        (key, state) -> {
          KeyState rules = state.value();
          // A family member also lets go of its waiting final stages, in whichever family it ran.
          if (rules != null && (rules.remove(stateId) | rules.releaseMember(stateId))) {
            if (rules.isEmpty()) {
              state.clear();
            } else {
              state.update(rules);
            }
          }
        });
  }

  private List<MapStateDescriptor<?, ?>> bufferDescriptors() {
    if (bufferDescriptors == null) {
      bufferDescriptors = RuleRuntime.bufferDescriptors(backend, eventSerializer);
    }
    return bufferDescriptors;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void clearEverywhere(String namespace, StateDescriptor descriptor) throws Exception {
    backend.applyToAllKeys(
        namespace,
        StringSerializer.INSTANCE,
        descriptor,
        (KeyedStateFunction<Object, State>) (key, s) -> s.clear());
  }

  @Override
  public void close() throws Exception {
    for (RuleRuntime runtime : byStateId.values()) {
      runtime.close();
    }
  }
}
