package io.vigil.dsl.check;

import io.vigil.dsl.diagnostic.Diagnostic;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.dsl.diagnostic.Span;
import java.util.ArrayList;
import java.util.List;

/** Collects the diagnostics of one declaration, so that a rule can be dropped if it has errors. */
final class Reporter {

  private final SourceFile source;
  private final List<Diagnostic> diagnostics = new ArrayList<>();

  Reporter(SourceFile source) {
    this.source = source;
  }

  void error(Span span, String message, String hint) {
    diagnostics.add(Diagnostic.error(source, span, message, hint));
  }

  void warning(Span span, String message, String hint) {
    diagnostics.add(Diagnostic.warning(source, span, message, hint));
  }

  boolean hasErrors() {
    return diagnostics.stream().anyMatch(Diagnostic::isError);
  }

  List<Diagnostic> diagnostics() {
    return diagnostics;
  }
}
