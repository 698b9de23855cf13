package io.vigil.console.rules.check;

import io.vigil.dsl.diagnostic.Diagnostic;

/**
 * One diagnostic as the editor shows it: where (1-based line and column, length of the culprit),
 * what, what to do, and the same text {@code vigil check} prints.
 */
public record Finding(
    boolean error, int line, int column, int length, String message, String hint, String rendered) {

  static Finding of(Diagnostic d) {
    return new Finding(
        d.isError(),
        d.span().line(),
        d.span().column(),
        Math.max(1, d.span().length()),
        d.message(),
        d.hint().orElse(""),
        d.render());
  }
}
