package io.vigil.dsl.ast;

import io.vigil.dsl.diagnostic.SourceFile;

/** A top-level declaration of a {@code .vgl} file. */
public sealed interface Declaration permits StreamDecl, RuleDecl {
  SourceFile source();

  Name name();

  /** The declaration's exact source text, from its keyword to its last token. */
  String text();
}
