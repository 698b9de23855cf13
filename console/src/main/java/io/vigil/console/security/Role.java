package io.vigil.console.security;

/**
 * What a user may do, each role including the ones before it: a viewer reads everything, an analyst
 * also edits, checks, tests and proposes, an admin also approves, deploys, rolls back, disables,
 * deletes and reads the audit log.
 */
public enum Role {
  VIEWER,
  ANALYST,
  ADMIN;

  /** The Spring Security authority of this role. */
  public String authority() {
    return "ROLE_" + name();
  }

  /** This role's authority and those of every role it includes: the hierarchy in one place. */
  public java.util.List<String> impliedAuthorities() {
    return java.util.Arrays.stream(values())
        .filter(r -> r.ordinal() <= ordinal())
        .map(Role::authority)
        .toList();
  }
}
