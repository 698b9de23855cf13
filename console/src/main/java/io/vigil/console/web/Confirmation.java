package io.vigil.console.web;

/**
 * The answer a confirmation page's form posts with a destructive action. The action's own button
 * leads to that page (a plain link: no script, so it works under the CSP); only the page's form
 * carries {@code confirm=yes}, so a post without it changes nothing and is sent to the page.
 */
public final class Confirmation {
  /** The form field and its value. */
  public static final String FIELD = "confirm";

  public static final String YES = "yes";

  private Confirmation() {}

  public static boolean given(String answer) {
    return YES.equals(answer);
  }
}
