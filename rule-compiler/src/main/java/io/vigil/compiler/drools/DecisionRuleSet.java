package io.vigil.compiler.drools;

import io.vigil.compiler.event.Event;
import io.vigil.dsl.schema.StreamSchema;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.definition.type.FactType;
import org.kie.api.event.rule.BeforeMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.KieSessionConfiguration;
import org.kie.api.runtime.conf.ClockTypeOption;

/**
 * A compiled DRL rule set. A stateless one decides on events one at a time ({@link #decide}): each
 * event becomes a fact of its stream's type in a fresh session, the rules fire on it alone, and the
 * alerts its consequences raised are returned. A stateful one ({@code // vigil: expire after})
 * opens a {@link DecisionSession} per key instead. Every evaluation is bounded by the {@link
 * DecisionLimits}. Not thread-safe: one instance per parallel instance (the runtime builds its own
 * from the source text).
 */
public final class DecisionRuleSet {

  private final String name;
  private final DecisionHeader header;
  private final Map<String, StreamSchema> schemas;
  private final Map<String, FactType> factTypes = new HashMap<>();
  private final Map<String, String[]> factFields = new HashMap<>();
  private final KieBase kieBase;
  private final DecisionLimits limits;
  private final DecisionAlerts alerts = new DecisionAlerts();
  private final Firing firing;

  DecisionRuleSet(
      String name,
      String packageName,
      DecisionHeader header,
      Map<String, StreamSchema> schemas,
      KieBase kieBase,
      DecisionLimits limits) {
    this.name = name;
    this.header = header;
    this.schemas = Map.copyOf(schemas);
    this.kieBase = kieBase;
    this.limits = limits;
    this.firing = new Firing(alerts, limits);
    for (String stream : header.streams()) {
      factTypes.put(stream, factType(kieBase, packageName, stream));
      factFields.put(
          stream,
          schemas.get(stream).fields().stream()
              .map(f -> DecisionFacts.fieldName(f.path()))
              .toArray(String[]::new));
    }
    if (!header.alertsOf().isEmpty()) {
      String alert = PatternAlertFacts.STREAM;
      factTypes.put(alert, factType(kieBase, packageName, alert));
      factFields.put(
          alert, PatternAlertFacts.fieldNames(header.keyFields()).toArray(String[]::new));
    }
  }

  private static FactType factType(KieBase kieBase, String packageName, String type) {
    FactType factType = kieBase.getFactType(packageName, type);
    if (factType == null) {
      throw new IllegalStateException("fact type " + packageName + "." + type + " missing");
    }
    return factType;
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

  /** The binding: streams, key, expiry, alerts read. */
  public DecisionHeader header() {
    return header;
  }

  /** The schemas of the streams read, by stream name. */
  public Map<String, StreamSchema> schemas() {
    return schemas;
  }

  public DecisionLimits limits() {
    return limits;
  }

  KieBase kieBase() {
    return kieBase;
  }

  /** Whether it runs in a session per key ({@link #openSession}) rather than per event. */
  public boolean stateful() {
    return header.stateful();
  }

  /** The names of the DRL rules, sorted. */
  public List<String> ruleNames() {
    return kieBase.getKiePackages().stream()
        .flatMap(p -> p.getRules().stream())
        .map(org.kie.api.definition.rule.Rule::getName)
        .sorted()
        .toList();
  }

  /**
   * Fires the rules on {@code event} alone and returns the alerts raised, in firing order.
   *
   * @throws IllegalArgumentException when the event is of a stream the rule set does not read
   * @throws DecisionLimitException when the evaluation went beyond the limits (nothing is raised)
   * @throws RuntimeException whatever a consequence threw (wrapped by Drools)
   */
  public List<RaisedAlert> decide(Event event) {
    Object fact = fact(event);
    KieSession session = kieBase.newKieSession();
    try {
      session.setGlobal("alerts", alerts);
      session.addEventListener(firing);
      session.insert(fact);
      return fire(session);
    } finally {
      session.dispose();
    }
  }

  /** A session for one key of a stateful rule set, its clock at 0 until the first fact. */
  public DecisionSession openSession() {
    if (!stateful()) {
      throw new IllegalStateException(name + " is stateless");
    }
    KieSessionConfiguration conf = KieServices.Factory.get().newKieSessionConfiguration();
    conf.setOption(ClockTypeOption.PSEUDO);
    KieSession session = kieBase.newKieSession(conf, null);
    session.setGlobal("alerts", alerts);
    session.addEventListener(firing);
    return new DecisionSession(this, session);
  }

  /** {@code event} as a fact of its stream's declared type. */
  Object fact(Event event) {
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
    return fact;
  }

  /** Fires the activations of {@code session} within the limits; the alerts they raised. */
  List<RaisedAlert> fire(KieSession session) {
    // Whatever a failed evaluation left half-raised is dropped here.
    alerts.take();
    firing.start();
    int fired = session.fireAllRules(limits.maxFirings());
    if (firing.cut()) {
      alerts.take();
      throw new DecisionLimitException(
          name + ": evaluation still firing after " + limits.maxTime().toMillis() + " ms");
    }
    if (fired >= limits.maxFirings()) {
      alerts.take();
      throw new DecisionLimitException(
          name + ": evaluation reached " + limits.maxFirings() + " rule firings");
    }
    return alerts.take();
  }

  /** Names each alert after the DRL rule firing, and halts an evaluation past its time. */
  private static final class Firing extends DefaultAgendaEventListener {
    private final DecisionAlerts alerts;
    private final long budgetNanos;
    private long deadline;
    private boolean cut;

    Firing(DecisionAlerts alerts, DecisionLimits limits) {
      this.alerts = alerts;
      this.budgetNanos = limits.maxTime().toNanos();
    }

    void start() {
      deadline = System.nanoTime() + budgetNanos;
      cut = false;
    }

    boolean cut() {
      return cut;
    }

    @Override
    public void beforeMatchFired(BeforeMatchFiredEvent event) {
      if (System.nanoTime() - deadline > 0) {
        cut = true;
        event.getKieRuntime().halt();
      }
      alerts.firing(event.getMatch().getRule().getName());
    }
  }
}
