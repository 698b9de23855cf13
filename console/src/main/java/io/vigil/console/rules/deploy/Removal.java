package io.vigil.console.rules.deploy;

/** The two ways an admin takes a rule out of the running job, and what each one means. */
public enum Removal {
  DISABLE(
      "disable",
      "Disable",
      "The job stops evaluating this rule and releases its state on every key of every subtask: its"
          + " partial matches are lost. A later deploy of any version starts it afresh."),
  DELETE(
      "delete",
      "Delete from the job",
      "As disabling, and the job then forgets the rule except its version number (so replays of its"
          + " older commands stay rejected). Its versions, test cases and audit stay in the console,"
          + " so it can be deployed again.");

  private final String path;
  private final String action;
  private final String consequence;

  Removal(String path, String action, String consequence) {
    this.path = path;
    this.action = action;
    this.consequence = consequence;
  }

  public String path() {
    return path;
  }

  public String action() {
    return action;
  }

  public String consequence() {
    return consequence;
  }
}
