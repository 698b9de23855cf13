package io.vigil.dsl.syntax;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.dsl.ast.Expr;
import io.vigil.dsl.ast.FieldPath;
import io.vigil.dsl.ast.Name;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.dsl.diagnostic.Span;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The law that pins the grammar's operator precedence: printing an expression with the fewest
 * parentheses and parsing it back gives the same tree.
 */
class ExprRoundTripPropertiesTest {

  private static final Span AT = Span.at(1, 1);

  @Property(tries = 400, seed = "42")
  void parsingThePrintedExpressionGivesItBack(@ForAll("expressions") Expr expr) {
    String text = ExprPrinter.print(expr);

    SourceParser.ExpressionResult parsed =
        SourceParser.parseExpression(new SourceFile("prop", text));

    assertThat(parsed.diagnostics()).as(text).isEmpty();
    assertThat(strip(parsed.expr().orElseThrow())).as(text).isEqualTo(strip(expr));
  }

  @Property(tries = 200, seed = "7")
  void stringsKeepEveryCharacterThroughQuoting(@ForAll("text") String value) {
    Expr parsed =
        SourceParser.parseExpression(new SourceFile("prop", ExprPrinter.quote(value)))
            .expr()
            .orElseThrow();

    assertThat(parsed)
        .isInstanceOfSatisfying(Expr.StringLit.class, s -> assertThat(s.value()).isEqualTo(value));
  }

  @Provide
  Arbitrary<String> text() {
    return Arbitraries.strings().withChars("ab\\\"{} .d").ofMaxLength(12);
  }

  @Provide
  Arbitrary<Expr> expressions() {
    return expr(4);
  }

  private Arbitrary<Expr> expr(int depth) {
    Arbitrary<Expr> leaf =
        Arbitraries.oneOf(
            Arbitraries.longs().between(0, 10_000).map(v -> new Expr.IntLit(v, AT)),
            Arbitraries.bigDecimals()
                .between(BigDecimal.ZERO, BigDecimal.valueOf(1000))
                .ofScale(2)
                .map(v -> new Expr.DecimalLit(v, AT)),
            Arbitraries.strings().alpha().ofMaxLength(5).map(s -> new Expr.StringLit(s, AT)),
            Arbitraries.of(true, false).map(b -> new Expr.BoolLit(b, AT)),
            Arbitraries.just(new Expr.NullLit(AT)),
            Arbitraries.of("amount", "geo.city", "a.country", "status")
                .map(p -> new Expr.Path(new FieldPath(List.of(p.split("\\.")), AT), AT)),
            Arbitraries.of("count", "first", "max")
                .map(
                    f ->
                        new Expr.Call(
                            new Name(f, AT),
                            List.of(new Expr.Path(new FieldPath(List.of("tiny"), AT), AT)),
                            f.equals("first")
                                ? Optional.of(new FieldPath(List.of("currency"), AT))
                                : Optional.empty(),
                            AT)));
    if (depth == 0) {
      return leaf;
    }
    Arbitrary<Expr> sub = Arbitraries.lazy(() -> expr(depth - 1));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, leaf),
        net.jqwik.api.Tuple.of(
            4,
            net.jqwik.api.Combinators.combine(Arbitraries.of(Expr.BinaryOp.values()), sub, sub)
                .as((op, l, r) -> (Expr) new Expr.Binary(op, l, r, AT))),
        net.jqwik.api.Tuple.of(
            1,
            net.jqwik.api.Combinators.combine(Arbitraries.of(Expr.UnaryOp.values()), sub)
                .as((op, x) -> (Expr) new Expr.Unary(op, x, AT))),
        net.jqwik.api.Tuple.of(
            1,
            net.jqwik.api.Combinators.combine(
                    sub, sub.list().ofMinSize(1).ofMaxSize(3), Arbitraries.of(true, false))
                .as((v, opts, neg) -> (Expr) new Expr.In(v, opts, neg, AT))),
        net.jqwik.api.Tuple.of(
            1,
            net.jqwik.api.Combinators.combine(sub, sub, sub, Arbitraries.of(true, false))
                .as((v, lo, hi, neg) -> (Expr) new Expr.Between(v, lo, hi, neg, AT))));
  }

  /** The same tree with every position erased, so that trees compare by structure. */
  static Expr strip(Expr e) {
    if (e instanceof Expr.StringLit x) {
      return new Expr.StringLit(x.value(), AT);
    } else if (e instanceof Expr.IntLit x) {
      return new Expr.IntLit(x.value(), AT);
    } else if (e instanceof Expr.DecimalLit x) {
      return new Expr.DecimalLit(x.value(), AT);
    } else if (e instanceof Expr.BoolLit x) {
      return new Expr.BoolLit(x.value(), AT);
    } else if (e instanceof Expr.NullLit) {
      return new Expr.NullLit(AT);
    } else if (e instanceof Expr.Path x) {
      return new Expr.Path(new FieldPath(x.path().segments(), AT), AT);
    } else if (e instanceof Expr.Call x) {
      return new Expr.Call(
          new Name(x.function().text(), AT),
          x.args().stream().map(ExprRoundTripPropertiesTest::strip).toList(),
          x.member().map(m -> new FieldPath(m.segments(), AT)),
          AT);
    } else if (e instanceof Expr.Unary x) {
      return new Expr.Unary(x.op(), strip(x.operand()), AT);
    } else if (e instanceof Expr.Binary x) {
      return new Expr.Binary(x.op(), strip(x.left()), strip(x.right()), AT);
    } else if (e instanceof Expr.In x) {
      return new Expr.In(
          strip(x.value()),
          x.options().stream().map(ExprRoundTripPropertiesTest::strip).toList(),
          x.negated(),
          AT);
    }
    Expr.Between x = (Expr.Between) e;
    return new Expr.Between(strip(x.value()), strip(x.low()), strip(x.high()), x.negated(), AT);
  }
}
