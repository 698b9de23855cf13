package io.vigil.dsl.check;

import io.vigil.dsl.ast.Expr;
import io.vigil.dsl.ast.FieldPath;
import io.vigil.dsl.ast.Span;
import io.vigil.dsl.check.TypedExpr.Aggregate;
import io.vigil.dsl.check.TypedExpr.Pick;
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
  private final int maxRegexSize;

  ExprChecker(Reporter report, int maxRegexSize) {
    this.report = report;
    this.maxRegexSize = maxRegexSize;
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
      return unary(u, scope);
    } else if (expr instanceof Expr.Binary b) {
      return binary(b, scope);
    } else if (expr instanceof Expr.In in) {
      return in(in, scope);
    } else {
      return between((Expr.Between) expr, scope);
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

  // ---------------------------------------------------------------------------- operators

  private Optional<TypedExpr> unary(Expr.Unary u, Scope scope) {
    Optional<TypedExpr> operand = check(u.operand(), scope);
    if (operand.isEmpty()) {
      return operand;
    }
    Type t = operand.get().type();
    if (u.op() == Expr.UnaryOp.NOT) {
      if (t != Type.BOOLEAN) {
        return typeError(
            u.operand().span(),
            "`not` needs true or false, not a " + t.keyword(),
            "negate a condition, e.g. `not success`");
      }
      return Optional.of(new TypedExpr.Not(operand.get()));
    }
    if (!t.numeric()) {
      return typeError(u.operand().span(), "`-` needs a number, not a " + t.keyword(), "");
    }
    return Optional.of(new TypedExpr.Negate(t == Type.INT ? Type.LONG : t, operand.get()));
  }

  private Optional<TypedExpr> binary(Expr.Binary b, Scope scope) {
    Optional<TypedExpr> left = check(b.left(), scope);
    Optional<TypedExpr> right = check(b.right(), scope);
    if (left.isEmpty() || right.isEmpty()) {
      return Optional.empty();
    }
    TypedExpr l = left.get();
    TypedExpr r = right.get();
    Type lt = l.type();
    Type rt = r.type();
    Expr.BinaryOp op = b.op();
    if (op.logical()) {
      if (lt != Type.BOOLEAN || rt != Type.BOOLEAN) {
        Expr culprit = lt != Type.BOOLEAN ? b.left() : b.right();
        return typeError(
            culprit.span(),
            "`"
                + op.symbol
                + "` joins conditions, but this is a "
                + (lt != Type.BOOLEAN ? lt : rt).keyword(),
            "compare it with something, e.g. `x > 0`");
      }
      return Optional.of(
          new TypedExpr.Logical(
              op == Expr.BinaryOp.AND ? TypedExpr.LogicalOp.AND : TypedExpr.LogicalOp.OR, l, r));
    }
    if (op.arithmetic()) {
      if (!lt.numeric() || !rt.numeric()) {
        Expr culprit = !lt.numeric() ? b.left() : b.right();
        return typeError(
            culprit.span(),
            "`"
                + op.symbol
                + "` needs numbers, but this is a "
                + (!lt.numeric() ? lt : rt).keyword(),
            "arithmetic works on int, long, double and decimal fields");
      }
      return Optional.of(
          new TypedExpr.Arithmetic(
              TypedExpr.ArithmeticOp.valueOf(op.name()), Type.widen(lt, rt), l, r));
    }
    if (op.comparison()) {
      if (lt == Type.NULL || rt == Type.NULL) {
        if (op != Expr.BinaryOp.EQ && op != Expr.BinaryOp.NE) {
          return typeError(b.span(), "only `==` and `!=` compare with null", "");
        }
        if (lt == Type.NULL && rt == Type.NULL) {
          return typeError(b.span(), "comparing null with null is always the same", "");
        }
        return Optional.of(new TypedExpr.NullTest(op == Expr.BinaryOp.NE, lt == Type.NULL ? r : l));
      }
      Optional<Type> domain = comparable(lt, rt);
      if (domain.isEmpty()) {
        return typeError(
            b.span(),
            "cannot compare a " + lt.keyword() + " with a " + rt.keyword(),
            hintForMismatch(lt, rt));
      }
      boolean ordering = op != Expr.BinaryOp.EQ && op != Expr.BinaryOp.NE;
      if (ordering && !domain.get().ordered()) {
        return typeError(
            b.span(),
            "`" + op.symbol + "` does not order " + domain.get().keyword() + " values",
            "use `==` or `!=`");
      }
      return Optional.of(
          new TypedExpr.Comparison(TypedExpr.CompareOp.valueOf(op.name()), domain.get(), l, r));
    }
    // string tests
    if (lt != Type.STRING) {
      return typeError(
          b.left().span(), "`" + op.symbol + "` tests strings, but this is a " + lt.keyword(), "");
    }
    if (op == Expr.BinaryOp.MATCHES) {
      if (!(r instanceof TypedExpr.Constant c) || rt != Type.STRING) {
        return typeError(
            b.right().span(),
            "`matches` takes a regular expression in double quotes",
            "e.g. `merchant matches \"^ACME.*\"`");
      }
      String regex = (String) c.value();
      Optional<RegexCheck.Problem> problem = RegexCheck.problem(regex, maxRegexSize);
      if (problem.isPresent()) {
        return typeError(b.right().span(), problem.get().message(), problem.get().hint());
      }
      return Optional.of(new TypedExpr.Matches(l, regex));
    }
    if (rt != Type.STRING) {
      return typeError(
          b.right().span(), "`" + op.symbol + "` tests strings, but this is a " + rt.keyword(), "");
    }
    return Optional.of(new TypedExpr.StringTest(TypedExpr.StringOp.valueOf(op.name()), l, r));
  }

  private Optional<TypedExpr> in(Expr.In in, Scope scope) {
    Optional<TypedExpr> value = check(in.value(), scope);
    List<TypedExpr> options = new ArrayList<>();
    boolean ok = value.isPresent();
    Type domain = value.map(TypedExpr::type).orElse(Type.NULL);
    for (Expr option : in.options()) {
      Optional<TypedExpr> o = check(option, scope);
      if (o.isEmpty()) {
        ok = false;
        continue;
      }
      if (ok) {
        Optional<Type> d = comparable(domain, o.get().type());
        if (d.isEmpty()) {
          report.error(
              option.span(),
              "`in` list holds a "
                  + o.get().type().keyword()
                  + " but the value is a "
                  + domain.keyword(),
              hintForMismatch(domain, o.get().type()));
          ok = false;
          continue;
        }
        domain = d.get();
      }
      options.add(o.get());
    }
    if (!ok) {
      return Optional.empty();
    }
    return Optional.of(new TypedExpr.InList(domain, value.get(), options, in.negated()));
  }

  private Optional<TypedExpr> between(Expr.Between b, Scope scope) {
    Optional<TypedExpr> value = check(b.value(), scope);
    Optional<TypedExpr> low = check(b.low(), scope);
    Optional<TypedExpr> high = check(b.high(), scope);
    if (value.isEmpty() || low.isEmpty() || high.isEmpty()) {
      return Optional.empty();
    }
    Optional<Type> d1 = comparable(value.get().type(), low.get().type());
    Optional<Type> d2 = comparable(value.get().type(), high.get().type());
    if (d1.isEmpty() || d2.isEmpty() || !d1.get().ordered()) {
      return typeError(
          b.span(),
          "`between` needs ordered values of one kind, got "
              + value.get().type().keyword()
              + " between "
              + low.get().type().keyword()
              + " and "
              + high.get().type().keyword(),
          "e.g. `amount between 900 and 1000`");
    }
    Type domain = d1.get().numeric() ? Type.widen(d1.get(), d2.get()) : d1.get();
    return Optional.of(
        new TypedExpr.Between(domain, value.get(), low.get(), high.get(), b.negated()));
  }

  /** The type two values are compared in, if they can be compared at all. */
  static Optional<Type> comparable(Type a, Type b) {
    if (a.numeric() && b.numeric()) {
      return Optional.of(Type.widen(a, b));
    }
    if (a == Type.TIMESTAMP && (b == Type.TIMESTAMP || b.integral())
        || b == Type.TIMESTAMP && a.integral()) {
      return Optional.of(Type.TIMESTAMP);
    }
    if (a == b && a != Type.NULL) {
      return Optional.of(a);
    }
    return Optional.empty();
  }

  private static String hintForMismatch(Type a, Type b) {
    if (a == Type.STRING || b == Type.STRING) {
      return "strings are compared with strings: put the value in double quotes, or compare a numeric field";
    }
    if (a == Type.BOOLEAN || b == Type.BOOLEAN) {
      return "booleans are compared with true or false, or used directly: `success`, `not success`";
    }
    return "compare values of the same kind";
  }

  private Optional<TypedExpr> typeError(Span span, String message, String hint) {
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
