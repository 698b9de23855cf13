package io.vigil.compiler.rule;

import io.vigil.compiler.condition.CompiledValue;
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

  private AlertTemplate(List<Piece> pieces) {
    this.pieces = pieces;
  }

  static AlertTemplate compile(CheckedTemplate template) {
    List<Piece> pieces = new ArrayList<>();
    for (CheckedTemplate.Part part : template.parts()) {
      if (part instanceof CheckedTemplate.Text t) {
        pieces.add(new Piece(t.text(), null));
      } else if (part instanceof CheckedTemplate.Hole h) {
        pieces.add(new Piece(null, ExpressionCompiler.value(h.expr())));
      }
    }
    return new AlertTemplate(List.copyOf(pieces));
  }

  String render(MatchView match) {
    StringBuilder out = new StringBuilder();
    for (Piece piece : pieces) {
      if (piece.hole() == null) {
        out.append(piece.text());
      } else {
        out.append(
            ValueFormat.format(
                piece.hole().evaluate(null, match).orElse(null), piece.hole().type()));
      }
    }
    return out.toString();
  }
}
