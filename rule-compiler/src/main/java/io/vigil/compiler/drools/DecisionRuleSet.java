package io.vigil.compiler.drools;

import io.vigil.compiler.event.Event;
import io.vigil.dsl.schema.StreamSchema;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kie.api.KieBase;
import org.kie.api.definition.type.FactType;
import org.kie.api.event.rule.BeforeMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.runtime.StatelessKieSession;

/**
 * A compiled DRL rule set, ready to decide on events one at a time: each event becomes a fact of
 * its stream's type, a stateless session fires the rules on it alone, and the alerts its
 * consequences raised are returned. Not thread-safe: one instance per parallel instance (the
 * runtime builds its own from the source text).
 */
public final class DecisionRuleSet {

  private final String name;
  private final DecisionHeader header;
  private final Map<String, StreamSchema> schemas;
  private final Map<String, FactType> factTypes = new HashMap<>();
  private final Map<String, String[]> factFields = new HashMap<>();
  private final StatelessKieSession session;
  private final DecisionAlerts alerts = new DecisionAlerts();

  DecisionRuleSet(
      String name,
      String packageName,
      DecisionHeader header,
      Map<String, StreamSchema> schemas,
      KieBase kieBase) {
    this.name = name;
    this.header = header;
    this.schemas = Map.copyOf(schemas);
    for (String stream : header.streams()) {
      FactType type = kieBase.getFactType(packageName, stream);
      if (type == null) {
        throw new IllegalStateException("fact type " + packageName + "." + stream + " missing");
      }
      factTypes.put(stream, type);
      factFields.put(
          stream,
          schemas.get(stream).fields().stream()
              .map(f -> DecisionFacts.fieldName(f.path()))
              .toArray(String[]::new));
    }
    this.session = kieBase.newStatelessKieSession();
    session.setGlobal("alerts", alerts);
    session.addEventListener(
        new DefaultAgendaEventListener() {
          @Override
          public void beforeMatchFired(BeforeMatchFiredEvent event) {
            alerts.firing(event.getMatch().getRule().getName());
          }
        });
  }

  public String name() {
    return name;
  }

  /** The streams whose events are facts, in header order. */
  public List<String> streams() {
    return header.streams();
  }

  /** The {@code partition by} fields; empty when the header names none. */
  public List<String> keyFields() {
    return header.keyFields();
  }

  /** The schemas of the streams read, by stream name. */
  public Map<String, StreamSchema> schemas() {
    return schemas;
  }

  /**
   * Fires the rules on {@code event} alone and returns the alerts raised, in firing order.
   *
   * @throws IllegalArgumentException when the event is of a stream the rule set does not read
   * @throws RuntimeException whatever a consequence threw (wrapped by Drools)
   */
  public List<RaisedAlert> decide(Event event) {
    FactType type = factTypes.get(event.stream());
    if (type == null) {
      throw new IllegalArgumentException(name + " does not read stream " + event.stream());
    }
    Object fact;
    try {
      fact = type.newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create a fact of " + event.stream(), e);
    }
    String[] fields = factFields.get(event.stream());
    for (int i = 0; i < fields.length && i < event.size(); i++) {
      Object value = event.value(i);
      if (value != null) {
        type.set(fact, fields[i], value);
      }
    }
    // Whatever a failed evaluation left half-raised is dropped here.
    alerts.take();
    session.execute(fact);
    return alerts.take();
  }
}
