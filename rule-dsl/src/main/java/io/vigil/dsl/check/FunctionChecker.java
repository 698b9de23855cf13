package io.vigil.dsl.check;

import io.vigil.dsl.ast.Expr;
import io.vigil.dsl.check.ExprChecker.Scope;
import io.vigil.dsl.check.ExprChecker.StageInfo;
import io.vigil.dsl.check.TypedExpr.Aggregate;
import io.vigil.dsl.check.TypedExpr.Pick;
import io.vigil.dsl.diagnostic.Span;
import io.vigil.dsl.schema.Type;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Types the built-in functions: the stage functions {@code first}, {@code last} and {@code count},
 * the aggregates {@code sum}, {@code avg}, {@code min} and {@code max} over a looping stage's
 * events, and the value functions {@code abs}, {@code lower}, {@code upper} and {@code len}.
 */
final class FunctionChecker {

  private static final Set<String> FUNCTIONS =
      Set.of("first", "last", "count", "sum", "avg", "min", "max", "abs", "lower", "upper", "len");

  private final ExprChecker exprs;
  private final Reporter report;

  FunctionChecker(ExprChecker exprs, Reporter report) {
    this.exprs = exprs;
    this.report = report;
  }

  Optional<TypedExpr> call(Expr.Call call, Scope scope) {
    String fn = call.function().text();
    Span span = call.span();
    if (!FUNCTIONS.contains(fn)) {
      report.error(
          span,
          "unknown function `" + fn + "`",
          Suggestions.didYouMean(fn, FUNCTIONS, "functions: " + String.join(", ", FUNCTIONS)));
      return Optional.empty();
    }
    if (call.args().size() != 1) {
      report.error(span, "`" + fn + "` takes one argument, not " + call.args().size(), usage(fn));
      return Optional.empty();
    }
    Expr arg = call.args().get(0);
    boolean needsMember = fn.equals("first") || fn.equals("last");
    if (needsMember != call.member().isPresent()) {
      report.error(
          span,
          needsMember
              ? "`" + fn + "(...)` is an event: read one of its fields"
              : "`" + fn + "(...)` is a value, it has no fields",
          usage(fn));
      return Optional.empty();
    }
    switch (fn) {
      case "first", "last", "count" -> {
        Optional<StageInfo> stage = stageArgument(fn, arg, scope);
        if (stage.isEmpty()) {
          return Optional.empty();
        }
        if (fn.equals("count")) {
          return Optional.of(new TypedExpr.StageCount(stage.get().name()));
        }
        return exprs.stageField(
            stage.get(), call.member().get(), fn.equals("first") ? Pick.FIRST : Pick.LAST, span);
      }
      case "sum", "avg", "min", "max" -> {
        return aggregate(fn, arg, scope, span);
      }
      default -> {
        Optional<TypedExpr> value = exprs.check(arg, scope);
        if (value.isEmpty()) {
          return value;
        }
        Type t = value.get().type();
        if (fn.equals("abs")) {
          if (!t.numeric()) {
            return exprs.typeError(
                arg.span(), "`abs` takes a number, not a " + t.keyword(), usage(fn));
          }
          Type result = t == Type.INT ? Type.LONG : t;
          return Optional.of(new TypedExpr.Call(TypedExpr.Function.ABS, result, value.get()));
        }
        if (t != Type.STRING) {
          return exprs.typeError(
              arg.span(), "`" + fn + "` takes a string, not a " + t.keyword(), usage(fn));
        }
        return Optional.of(
            switch (fn) {
              case "lower" ->
                  new TypedExpr.Call(TypedExpr.Function.LOWER, Type.STRING, value.get());
              case "upper" ->
                  new TypedExpr.Call(TypedExpr.Function.UPPER, Type.STRING, value.get());
              default -> new TypedExpr.Call(TypedExpr.Function.LEN, Type.LONG, value.get());
            });
      }
    }
  }

  private Optional<StageInfo> stageArgument(String fn, Expr arg, Scope scope) {
    if (arg instanceof Expr.Path p && p.path().size() == 1) {
      String name = p.path().head();
      StageInfo stage = scope.stages().get(name);
      if (stage != null) {
        return Optional.of(stage);
      }
      if (scope.laterStages().contains(name)) {
        report.error(
            arg.span(),
            "stage `" + name + "` is not matched yet where the " + scope.where() + " is evaluated",
            "a condition can only refer to stages before it");
        return Optional.empty();
      }
      report.error(
          arg.span(),
          "`" + fn + "` takes a stage name, and there is no stage `" + name + "`",
          Suggestions.didYouMean(name, scope.stages().keySet(), usage(fn)));
      return Optional.empty();
    }
    report.error(arg.span(), "`" + fn + "` takes a stage name", usage(fn));
    return Optional.empty();
  }

  private Optional<TypedExpr> aggregate(String fn, Expr arg, Scope scope, Span span) {
    if (!(arg instanceof Expr.Path p) || p.path().size() < 2) {
      report.error(
          arg.span(), "`" + fn + "` takes a stage field such as `hot.temperature`", usage(fn));
      return Optional.empty();
    }
    String name = p.path().head();
    StageInfo stage = scope.stages().get(name);
    if (stage == null) {
      report.error(
          arg.span(),
          "`" + fn + "` takes a stage field, and there is no stage `" + name + "`",
          Suggestions.didYouMean(name, scope.stages().keySet(), usage(fn)));
      return Optional.empty();
    }
    Optional<TypedExpr> field = exprs.stageField(stage, p.path().tail(), Pick.LAST, arg.span());
    if (field.isEmpty()) {
      return Optional.empty();
    }
    TypedExpr.StageField f = (TypedExpr.StageField) field.get();
    Type t = f.type();
    Aggregate aggregate = Aggregate.valueOf(fn.toUpperCase(Locale.ROOT));
    Type result;
    if (aggregate == Aggregate.MIN || aggregate == Aggregate.MAX) {
      if (!t.ordered()) {
        return exprs.typeError(
            arg.span(), "`" + fn + "` needs ordered values, not " + t.keyword(), usage(fn));
      }
      result = t == Type.INT ? Type.LONG : t;
    } else {
      if (!t.numeric()) {
        return exprs.typeError(
            arg.span(), "`" + fn + "` needs numbers, not " + t.keyword(), usage(fn));
      }
      result =
          aggregate == Aggregate.AVG
              ? (t == Type.DECIMAL ? Type.DECIMAL : Type.DOUBLE)
              : (t.integral() ? Type.LONG : t);
    }
    return Optional.of(
        new TypedExpr.StageAggregate(aggregate, result, name, f.stream(), f.index(), f.path()));
  }

  private static String usage(String fn) {
    return switch (fn) {
      case "first", "last" -> fn + "(stage).field, e.g. " + fn + "(tiny).currency";
      case "count" -> "count(stage), e.g. count(tiny)";
      case "sum", "avg", "min", "max" -> fn + "(stage.field), e.g. " + fn + "(hot.temperature)";
      case "abs" -> "abs(number)";
      default -> fn + "(string)";
    };
  }
}
