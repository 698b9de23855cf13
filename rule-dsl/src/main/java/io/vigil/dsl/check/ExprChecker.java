package io.vigil.dsl.check;

import io.vigil.dsl.ast.Expr;
import io.vigil.dsl.ast.FieldPath;
import io.vigil.dsl.check.TypedExpr.Aggregate;
import io.vigil.dsl.check.TypedExpr.Pick;
import io.vigil.dsl.diagnostic.Span;
import io.vigil.dsl.schema.StreamSchema;
import io.vigil.dsl.schema.Type;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves names and types of one expression. Errors are reported and yield an empty result, so
 * that one bad sub-expression does not hide errors elsewhere in the rule.
 */
final class ExprChecker {

  /** A stage as seen from an expression: its stream and whether it may take several events. */
  record StageInfo(String name, StreamSchema stream, boolean looping) {}

  /**
   * What names mean where an expression sits. In a stage condition {@code current} is the stream of
   * the event being tested and bare names are its fields; elsewhere (having, templates) bare names
   * are partition-key fields.
   */
  record Scope(
      Optional<StreamSchema> current,
      Map<String, StageInfo> stages,
      List<PartitionKey> keys,
      Set<String> laterStages,
      String where) {}

  private static final Set<String> FUNCTIONS =
      Set.of("first", "last", "count", "sum", "avg", "min", "max", "abs", "lower", "upper", "len");

  private final Reporter report;

  private final OperatorChecker operators;

  ExprChecker(Reporter report, int maxRegexSize) {
    this.report = report;
    this.operators = new OperatorChecker(this, report, maxRegexSize);
  }

  Optional<TypedExpr> condition(Expr expr, Scope scope) {
    Optional<TypedExpr> typed = check(expr, scope);
    if (typed.isPresent() && typed.get().type() != Type.BOOLEAN) {
      report.error(
          expr.span(),
          "the "
              + scope.where()
              + " must be true or false, but this is a "
              + typed.get().type().keyword(),
          "compare it with something, e.g. `amount > 100`");
      return Optional.empty();
    }
    return typed;
  }

  Optional<TypedExpr> check(Expr expr, Scope scope) {
    if (expr instanceof Expr.StringLit s) {
      return Optional.of(new TypedExpr.Constant(Type.STRING, s.value()));
    } else if (expr instanceof Expr.IntLit i) {
      return Optional.of(new TypedExpr.Constant(Type.LONG, i.value()));
    } else if (expr instanceof Expr.DecimalLit d) {
      return Optional.of(new TypedExpr.Constant(Type.DECIMAL, d.value()));
    } else if (expr instanceof Expr.BoolLit b) {
      return Optional.of(new TypedExpr.Constant(Type.BOOLEAN, b.value()));
    } else if (expr instanceof Expr.NullLit) {
      return Optional.of(new TypedExpr.NullConstant());
    } else if (expr instanceof Expr.Path p) {
      return path(p.path(), scope);
    } else if (expr instanceof Expr.Call c) {
      return call(c, scope);
    } else if (expr instanceof Expr.Unary u) {
      return operators.unary(u, scope);
    } else if (expr instanceof Expr.Binary b) {
      return operators.binary(b, scope);
    } else if (expr instanceof Expr.In in) {
      return operators.in(in, scope);
    } else {
      return operators.between((Expr.Between) expr, scope);
    }
  }

  // ---------------------------------------------------------------------------- names

  private Optional<TypedExpr> path(FieldPath path, Scope scope) {
    String head = path.head();
    if (scope.stages().containsKey(head) && path.size() > 1) {
      StageInfo stage = scope.stages().get(head);
      if (stage.looping()) {
        report.error(
            path.span(),
            "stage `" + head + "` can take several events, so `" + path.dotted() + "` is ambiguous",
            "write first("
                + head
                + ")."
                + path.tail().dotted()
                + ", last("
                + head
                + ")."
                + path.tail().dotted()
                + ", count("
                + head
                + "), or sum/avg/min/max("
                + path.dotted()
                + ")");
        return Optional.empty();
      }
      return stageField(stage, path.tail(), Pick.ONLY, path.span());
    }
    if (scope.stages().containsKey(head)) {
      report.error(
          path.span(),
          "`" + head + "` is a stage, not a value",
          "read one of its fields, e.g. `"
              + head
              + "."
              + anyField(scope.stages().get(head).stream())
              + "`");
      return Optional.empty();
    }
    if (scope.laterStages().contains(head)) {
      report.error(
          path.span(),
          "stage `" + head + "` is not matched yet where the " + scope.where() + " is evaluated",
          "a condition can only refer to stages before it (or to its own earlier events)");
      return Optional.empty();
    }
    if (scope.current().isPresent()) {
      StreamSchema stream = scope.current().get();
      Optional<StreamSchema.Field> field = stream.field(path.dotted());
      if (field.isPresent()) {
        StreamSchema.Field f = field.get();
        return Optional.of(new TypedExpr.EventField(f.type(), stream.name(), f.index(), f.path()));
      }
      List<String> names = new ArrayList<>(fieldNames(stream));
      names.addAll(scope.stages().keySet());
      report.error(
          path.span(),
          "stream `" + stream.name() + "` has no field `" + path.dotted() + "`",
          Suggestions.didYouMean(
              path.dotted(), names, "its fields are: " + String.join(", ", fieldNames(stream))));
      return Optional.empty();
    }
    for (int i = 0; i < scope.keys().size(); i++) {
      PartitionKey key = scope.keys().get(i);
      if (key.path().equals(path.dotted())) {
        return Optional.of(new TypedExpr.KeyField(key.type(), i, key.path()));
      }
    }
    List<String> names = new ArrayList<>(scope.keys().stream().map(PartitionKey::path).toList());
    names.addAll(scope.stages().keySet());
    report.error(
        path.span(),
        "`" + path.dotted() + "` is neither a partition key nor a stage",
        Suggestions.didYouMean(
            path.dotted(),
            names,
            "in the "
                + scope.where()
                + " read fields through a stage, e.g. `"
                + scope.stages().keySet().stream().findFirst().orElse("a")
                + "."
                + path.dotted()
                + "`"));
    return Optional.empty();
  }

  private Optional<TypedExpr> stageField(StageInfo stage, FieldPath field, Pick pick, Span span) {
    Optional<StreamSchema.Field> f = stage.stream().field(field.dotted());
    if (f.isEmpty()) {
      report.error(
          span,
          "stage `"
              + stage.name()
              + "` reads stream `"
              + stage.stream().name()
              + "`, which has no field `"
              + field.dotted()
              + "`",
          Suggestions.didYouMean(
              field.dotted(),
              fieldNames(stage.stream()),
              "its fields are: " + String.join(", ", fieldNames(stage.stream()))));
      return Optional.empty();
    }
    StreamSchema.Field sf = f.get();
    return Optional.of(
        new TypedExpr.StageField(
            sf.type(), stage.name(), pick, stage.stream().name(), sf.index(), sf.path()));
  }

  // ---------------------------------------------------------------------------- calls

  private Optional<TypedExpr> call(Expr.Call call, Scope scope) {
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
        return stageField(
            stage.get(), call.member().get(), fn.equals("first") ? Pick.FIRST : Pick.LAST, span);
      }
      case "sum", "avg", "min", "max" -> {
        return aggregate(fn, arg, scope, span);
      }
      default -> {
        Optional<TypedExpr> value = check(arg, scope);
        if (value.isEmpty()) {
          return value;
        }
        Type t = value.get().type();
        if (fn.equals("abs")) {
          if (!t.numeric()) {
            return typeError(arg.span(), "`abs` takes a number, not a " + t.keyword(), usage(fn));
          }
          Type result = t == Type.INT ? Type.LONG : t;
          return Optional.of(new TypedExpr.Call(TypedExpr.Function.ABS, result, value.get()));
        }
        if (t != Type.STRING) {
          return typeError(
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
    Optional<TypedExpr> field = stageField(stage, p.path().tail(), Pick.LAST, arg.span());
    if (field.isEmpty()) {
      return Optional.empty();
    }
    TypedExpr.StageField f = (TypedExpr.StageField) field.get();
    Type t = f.type();
    Aggregate aggregate = Aggregate.valueOf(fn.toUpperCase(java.util.Locale.ROOT));
    Type result;
    if (aggregate == Aggregate.MIN || aggregate == Aggregate.MAX) {
      if (!t.ordered()) {
        return typeError(
            arg.span(), "`" + fn + "` needs ordered values, not " + t.keyword(), usage(fn));
      }
      result = t == Type.INT ? Type.LONG : t;
    } else {
      if (!t.numeric()) {
        return typeError(arg.span(), "`" + fn + "` needs numbers, not " + t.keyword(), usage(fn));
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

  Optional<TypedExpr> typeError(Span span, String message, String hint) {
    report.error(span, message, hint.isEmpty() ? "see the types in docs/language.md" : hint);
    return Optional.empty();
  }

  private static List<String> fieldNames(StreamSchema stream) {
    Set<String> names = new LinkedHashSet<>();
    stream.fields().forEach(f -> names.add(f.path()));
    return List.copyOf(names);
  }

  private static String anyField(StreamSchema stream) {
    return stream.fields().get(0).path();
  }
}
