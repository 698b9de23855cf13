package io.vigil.console.rules.deploy;

import java.util.List;

/** A deploy that is refused, with every reason (compile errors, review, failing test cases). */
public class DeployBlockedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final List<String> reasons;

  public DeployBlockedException(List<String> reasons) {
    super(String.join("; ", reasons));
    this.reasons = List.copyOf(reasons);
  }

  public List<String> reasons() {
    return reasons;
  }
}
