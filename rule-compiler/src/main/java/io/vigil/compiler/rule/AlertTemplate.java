package io.vigil.compiler.rule;

import io.vigil.compiler.condition.CompiledValue;
import io.vigil.compiler.condition.EvaluationFailures;
import io.vigil.compiler.condition.ExpressionCompiler;
import io.vigil.compiler.condition.MatchView;
import io.vigil.dsl.check.CheckedTemplate;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** An alert template with its holes compiled; renders a message from a match. */
final class AlertTemplate implements Serializable {

  private static final long serialVersionUID = 1L;

  /** A piece of the message: literal text or a compiled hole. */
  private record Piece(String text, CompiledValue hole) implements Serializable {}

  private final List<Piece> pieces;
  private final EvaluationFailures failures;

  private AlertTemplate(List<Piece> pieces, EvaluationFailures failures) {
    this.pieces = pieces;
    this.failures = failures;
  }

  static AlertTemplate compile(CheckedTemplate template, EvaluationFailures failures) {
    List<Piece> pieces = new ArrayList<>();
    for (CheckedTemplate.Part part : template.parts()) {
      if (part instanceof CheckedTemplate.Text t) {
        pieces.add(new Piece(t.text(), null));
      } else if (part instanceof CheckedTemplate.Hole h) {
        pieces.add(new Piece(null, ExpressionCompiler.value(h.expr())));
      }
    }
    return new AlertTemplate(List.copyOf(pieces), failures);
  }

  String render(MatchView match) {
    StringBuilder out = new StringBuilder();
    for (Piece piece : pieces) {
      if (piece.hole() == null) {
        out.append(piece.text());
      } else {
        out.append(hole(piece.hole(), match));
      }
    }
    return out.toString();
  }

  /** A hole that fails renders a placeholder: the alert still goes out, with the other values. */
  private String hole(CompiledValue hole, MatchView match) {
    try {
      return ValueFormat.format(hole.evaluate(null, match).orElse(null), hole.type());
    } catch (MatchView.UnreadableMatch e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      failures.record("alert template", e);
      return EvaluationFailures.PLACEHOLDER;
    }
  }
}
