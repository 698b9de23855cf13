package io.vigil.dsl.check;

import io.vigil.dsl.ast.Expr;
import io.vigil.dsl.ast.FieldPath;
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

  private final Reporter report;

  private final OperatorChecker operators;

  private final FunctionChecker functions;

  ExprChecker(Reporter report, int maxRegexSize) {
    this.report = report;
    this.operators = new OperatorChecker(this, report, maxRegexSize);
    this.functions = new FunctionChecker(this, report);
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
      return functions.call(c, scope);
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

  Optional<TypedExpr> stageField(StageInfo stage, FieldPath field, Pick pick, Span span) {
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
