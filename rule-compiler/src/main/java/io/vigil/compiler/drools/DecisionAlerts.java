package io.vigil.compiler.drools;

import java.util.ArrayList;
import java.util.List;

/**
 * The global {@code alerts} every DRL rule set sees (declared by Vigil, not by the rule set): its
 * consequences raise alerts with {@link #raise(String)}. One instance per rule set and parallel
 * instance; it collects the alerts of one evaluation, which the runtime then takes.
 */
public final class DecisionAlerts {

  private final List<RaisedAlert> raised = new ArrayList<>();
  private String firing = "";

  /** Raises an alert titled {@code title}; refine it with the returned builder. */
  public RaisedAlert raise(String title) {
    RaisedAlert alert = new RaisedAlert(firing, title);
    raised.add(alert);
    return alert;
  }

  /** Set before each consequence runs, so that an alert knows which DRL rule raised it. */
  void firing(String ruleName) {
    this.firing = ruleName;
  }

  /** The alerts raised since the last call, in the order they were raised. */
  List<RaisedAlert> take() {
    List<RaisedAlert> out = List.copyOf(raised);
    raised.clear();
    firing = "";
    return out;
  }
}
