package io.vigil.dsl.ast;

import io.vigil.dsl.diagnostic.Span;
import java.util.List;
import java.util.Optional;

/** A stage (one event condition) or a parenthesised group of stages, with quantifier. */
public sealed interface Element permits Element.Stage, Element.Group {

  Quantifier quantifier();

  List<Modifier> modifiers();

  Span span();

  /**
   * {@code name: cond} or {@code name: stream(cond)}; without an explicit stream the rule's {@code
   * from} stream applies.
   */
  record Stage(
      Name name,
      Optional<Name> stream,
      Expr condition,
      Quantifier quantifier,
      List<Modifier> modifiers,
      Span span)
      implements Element {
    public Stage {
      modifiers = List.copyOf(modifiers);
    }
  }

  /** {@code ( sequence ) quantifier}: Flink's GroupPattern. */
  record Group(Sequence body, Quantifier quantifier, List<Modifier> modifiers, Span span)
      implements Element {
    public Group {
      modifiers = List.copyOf(modifiers);
    }
  }
}
