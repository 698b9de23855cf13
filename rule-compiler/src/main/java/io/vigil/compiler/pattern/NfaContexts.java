package io.vigil.compiler.pattern;

import io.vigil.compiler.event.Event;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.cep.nfa.ComputationState;
import org.apache.flink.cep.nfa.NFA;
import org.apache.flink.cep.nfa.compiler.NFAStateNameHandler;
import org.apache.flink.cep.nfa.sharedbuffer.NodeId;
import org.apache.flink.cep.nfa.sharedbuffer.SharedBufferAccessor;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;

/**
 * Reads the event a stage accepted last from the condition context Flink's NFA gives a condition,
 * without reading the whole partial match when the partial match's last event is that stage's.
 *
 * <p>Flink's context ({@code NFA.ConditionContext}) answers {@code getEventsForPattern} by walking
 * the shared buffer back through every event of the partial match, checking each node's edges for
 * the match's version. A condition such as {@code country != last(fails).country} on a loop with
 * many partial matches (relaxed contiguity, no skip) then reads every event of each of them for
 * every event it tests. The partial match's last node is where that walk starts, so when it belongs
 * to the stage asked for, its event is the stage's latest. The context keeps that node in a private
 * field, read here through a handle found once; a context of any other class, or a Flink whose
 * context has other fields, gets the empty answer and the caller reads the match in full.
 */
public final class NfaContexts {

  private static final Optional<Handles> HANDLES = Handles.find();

  private NfaContexts() {}

  /**
   * The event {@code stage} accepted last in {@code context}'s partial match, when the match's last
   * event is {@code stage}'s; empty when it is another stage's, when the match has no event, when
   * the context has read the match in full already (reading it again then costs nothing), or when
   * {@code context} is not Flink's.
   */
  public static Optional<Event> latest(IterativeCondition.Context<Event> context, String stage)
      throws Exception {
    if (HANDLES.isEmpty() || context.getClass() != HANDLES.get().type()) {
      return Optional.empty();
    }
    Handles handles = HANDLES.get();
    if (handles.matched().get(context) != null) {
      return Optional.empty();
    }
    ComputationState computation = (ComputationState) handles.computation().get(context);
    NodeId last = computation == null ? null : computation.getPreviousBufferEntry();
    if (last == null || !stage.equals(stageOf(last))) {
      return Optional.empty();
    }
    @SuppressWarnings("unchecked")
    SharedBufferAccessor<Event> accessor =
        (SharedBufferAccessor<Event>) handles.accessor().get(context);
    return eventAt(accessor, last);
  }

  /** The stage (as the pattern names it) whose event {@code node} holds. */
  public static String stageOf(NodeId node) {
    return NFAStateNameHandler.getOriginalNameFromInternal(node.getPageName());
  }

  /** The event {@code node} of a partial match holds; empty if the buffer no longer has it. */
  public static <T> Optional<T> eventAt(SharedBufferAccessor<T> accessor, NodeId node)
      throws Exception {
    // The key is any name: the accessor reads the events of the ids listed under each.
    List<T> events = accessor.materializeMatch(Map.of("", List.of(node.getEventId()))).get("");
    return events == null || events.isEmpty() ? Optional.empty() : Optional.of(events.get(0));
  }

  /** The context's class and its fields: the partial match, what it read, the buffer's accessor. */
  private record Handles(
      Class<?> type, VarHandle computation, VarHandle matched, VarHandle accessor) {

    /** The handles of the Flink on the class path; empty when its context is not as expected. */
    static Optional<Handles> find() {
      try {
        Class<?> type =
            Class.forName(
                NFA.class.getName() + "$ConditionContext", false, NFA.class.getClassLoader());
        MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
        return Optional.of(
            new Handles(
                type,
                lookup.findVarHandle(type, "computationState", ComputationState.class),
                lookup.findVarHandle(type, "matchedEvents", Map.class),
                lookup.findVarHandle(type, "sharedBufferAccessor", SharedBufferAccessor.class)));
      } catch (ReflectiveOperationException | RuntimeException e) {
        return Optional.empty();
      }
    }
  }
}
