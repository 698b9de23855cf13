package io.vigil.dsl.syntax;

import io.vigil.dsl.ast.Declaration;
import io.vigil.dsl.ast.DurationLiteral;
import io.vigil.dsl.ast.Element;
import io.vigil.dsl.ast.Expr;
import io.vigil.dsl.ast.FieldPath;
import io.vigil.dsl.ast.Modifier;
import io.vigil.dsl.ast.Name;
import io.vigil.dsl.ast.Quantifier;
import io.vigil.dsl.ast.RuleDecl;
import io.vigil.dsl.ast.Sequence;
import io.vigil.dsl.ast.Span;
import io.vigil.dsl.ast.StreamDecl;
import io.vigil.dsl.ast.Template;
import io.vigil.dsl.diagnostic.Diagnostic;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.dsl.limits.Limits;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.ParseCancellationException;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Turns {@code .vgl} source into declarations. Syntax errors become diagnostics (the parser
 * recovers and goes on, so one run reports several); nothing here knows about types or streams.
 */
public final class SourceParser {

  /** The declarations that could be read, and every syntax error. */
  public record Result(List<Declaration> declarations, List<Diagnostic> diagnostics) {
    public Result {
      declarations = List.copyOf(declarations);
      diagnostics = List.copyOf(diagnostics);
    }
  }

  private final SourceFile source;
  private final Limits limits;
  private final SourceGuard guard;
  private final List<Diagnostic> diagnostics = new ArrayList<>();

  /**
   * Set when a literal of the declaration being built cannot be represented (a count or duration
   * out of range): the declaration is then left out, so that nothing downstream sees a made-up
   * value.
   */
  private boolean unrepresentable;

  private SourceParser(SourceFile source, Limits limits) {
    this.source = source;
    this.limits = limits;
    this.guard = new SourceGuard(source, limits);
  }

  /** As {@link #parse(SourceFile, Limits)} with the default limits. */
  public static Result parse(SourceFile source) {
    return parse(source, Limits.defaults());
  }

  /**
   * Reads {@code source}. Never throws on any text: source beyond {@code limits} (size, nesting,
   * string length) yields diagnostics and no declarations.
   */
  public static Result parse(SourceFile source, Limits limits) {
    SourceParser p = new SourceParser(source, limits);
    try {
      return p.parseFile();
    } catch (ParseCancellationException e) {
      return new Result(List.of(), p.diagnostics);
    } catch (StackOverflowError e) {
      return new Result(List.of(), List.of(p.guard.stackExhausted()));
    }
  }

  /** Parses a single expression, e.g. a condition typed into the console's test box. */
  public static ExpressionResult parseExpression(SourceFile source) {
    return parseExpression(source, Limits.defaults());
  }

  /** As {@link #parseExpression(SourceFile)} within {@code limits}. */
  public static ExpressionResult parseExpression(SourceFile source, Limits limits) {
    SourceParser p = new SourceParser(source, limits);
    try {
      Optional<Diagnostic> tooLarge = p.guard.size();
      if (tooLarge.isPresent()) {
        return new ExpressionResult(Optional.empty(), List.of(tooLarge.get()));
      }
      Optional<VigilParser> parser = p.parser(source.text(), 0, 0);
      if (parser.isEmpty()) {
        return new ExpressionResult(Optional.empty(), p.diagnostics);
      }
      VigilParser.TemplateHoleContext ctx = parser.get().templateHole();
      if (p.diagnostics.isEmpty()) {
        p.guard.tree(ctx, 0, 0).ifPresent(p.diagnostics::add);
      }
      Optional<Expr> expr =
          p.diagnostics.isEmpty() ? Optional.of(p.expr(ctx.expr())) : Optional.empty();
      return new ExpressionResult(expr, p.diagnostics);
    } catch (ParseCancellationException e) {
      return new ExpressionResult(Optional.empty(), p.diagnostics);
    } catch (StackOverflowError e) {
      return new ExpressionResult(Optional.empty(), List.of(p.guard.stackExhausted()));
    }
  }

  /** An expression if it could be read, and every syntax error. */
  public record ExpressionResult(Optional<Expr> expr, List<Diagnostic> diagnostics) {
    public ExpressionResult {
      diagnostics = List.copyOf(diagnostics);
    }
  }

  private Result parseFile() {
    Optional<Diagnostic> tooLarge = guard.size();
    if (tooLarge.isPresent()) {
      return new Result(List.of(), List.of(tooLarge.get()));
    }
    Optional<VigilParser> parser = parser(source.text(), 0, 0);
    if (parser.isEmpty()) {
      return new Result(List.of(), diagnostics);
    }
    VigilParser.FileContext file = parser.get().file();
    if (diagnostics.isEmpty()) {
      guard.tree(file, 0, 0).ifPresent(diagnostics::add);
    }
    if (!diagnostics.isEmpty()) {
      // A tree with syntax errors has holes; building an AST from it would only add confusing
      // follow-up errors.
      return new Result(List.of(), diagnostics);
    }
    List<Declaration> declarations = new ArrayList<>();
    for (VigilParser.DeclarationContext d : file.declaration()) {
      unrepresentable = false;
      Declaration declaration =
          d.streamDecl() != null ? stream(d.streamDecl()) : rule(d.ruleDecl());
      if (!unrepresentable) {
        declarations.add(declaration);
      }
    }
    return new Result(declarations, diagnostics);
  }

  /**
   * A parser over {@code text}, or empty when its tokens already exceed the limits (reported):
   * parsing them would recurse too deeply.
   */
  private Optional<VigilParser> parser(String text, int lineOffset, int columnOffset) {
    VigilLexer lexer = new VigilLexer(CharStreams.fromString(text, source.name()));
    CommonTokenStream tokens = new CommonTokenStream(lexer);
    VigilParser parser = new VigilParser(tokens);
    BaseErrorListener listener =
        new BaseErrorListener() {
          @Override
          public void syntaxError(
              Recognizer<?, ?> recognizer,
              Object offendingSymbol,
              int line,
              int charPositionInLine,
              String msg,
              RecognitionException e) {
            int column = (line == 1 ? columnOffset : 0) + charPositionInLine + 1;
            Span span =
                offendingSymbol instanceof Token t && t.getType() != Token.EOF
                    ? new Span(line + lineOffset, column, t.getText().length())
                    : Span.at(line + lineOffset, column);
            diagnostics.add(SyntaxMessages.describe(source, span, offendingSymbol, msg));
            if (diagnostics.size() >= limits.errors() - 1) {
              // Recovering from error after error costs more than it tells: stop reading.
              diagnostics.add(
                  Diagnostic.error(
                      source,
                      span,
                      "too many syntax errors: reading stopped here",
                      "fix the ones above first; the limit `errors` is " + limits.errors()));
              throw new ParseCancellationException("too many syntax errors");
            }
          }
        };
    lexer.removeErrorListeners();
    lexer.addErrorListener(listener);
    parser.removeErrorListeners();
    parser.addErrorListener(listener);
    tokens.fill();
    Optional<Diagnostic> beyond = guard.tokens(tokens.getTokens(), lineOffset, columnOffset);
    if (beyond.isPresent()) {
      diagnostics.add(beyond.get());
      return Optional.empty();
    }
    return Optional.of(parser);
  }

  // ------------------------------------------------------------------------------- streams

  private StreamDecl stream(VigilParser.StreamDeclContext ctx) {
    Optional<FieldPath> time = Optional.empty();
    Optional<DurationLiteral> lateness = Optional.empty();
    List<StreamDecl.FieldDecl> fields = new ArrayList<>();
    for (VigilParser.StreamClauseContext clause : ctx.streamClause()) {
      if (clause instanceof VigilParser.TimeClauseContext t) {
        time = once(time, path(t.fieldPath()), clause, "time");
      } else if (clause instanceof VigilParser.LatenessClauseContext l) {
        lateness =
            once(
                lateness,
                duration(l.DURATION(), "lateness", limits.lateness()),
                clause,
                "lateness");
      } else if (clause instanceof VigilParser.FieldsClauseContext f) {
        for (VigilParser.FieldDeclContext fd : f.fieldDecl()) {
          fields.add(new StreamDecl.FieldDecl(path(fd.fieldPath()), name(fd.typeName), span(fd)));
        }
      }
    }
    return new StreamDecl(
        source, name(ctx.name), time, lateness, fields, span(ctx.name), text(ctx));
  }

  // ------------------------------------------------------------------------------- rules

  private RuleDecl rule(VigilParser.RuleDeclContext ctx) {
    Optional<RuleDecl.StringLiteral> title = Optional.empty();
    Optional<Name> severity = Optional.empty();
    List<Name> tags = new ArrayList<>();
    Optional<Name> owner = Optional.empty();
    List<FieldPath> partition = new ArrayList<>();
    Optional<Name> from = Optional.empty();
    Optional<Sequence> pattern = Optional.empty();
    Optional<DurationLiteral> within = Optional.empty();
    Optional<DurationLiteral> maxGap = Optional.empty();
    Optional<RuleDecl.Skip> skip = Optional.empty();
    Optional<Expr> having = Optional.empty();
    Optional<Template> alert = Optional.empty();
    Optional<Template> timeoutAlert = Optional.empty();
    boolean seenTags = false;
    boolean seenPartition = false;

    for (VigilParser.RuleClauseContext clause : ctx.ruleClause()) {
      if (clause instanceof VigilParser.TitleClauseContext c) {
        title =
            once(
                title,
                new RuleDecl.StringLiteral(unquote(c.STRING().getText()), span(c.STRING())),
                c,
                "title");
      } else if (clause instanceof VigilParser.SeverityClauseContext c) {
        severity = once(severity, name(c.ident()), c, "severity");
      } else if (clause instanceof VigilParser.TagsClauseContext c) {
        if (seenTags) {
          duplicate(c, "tags");
        }
        seenTags = true;
        c.label().forEach(l -> tags.add(label(l)));
      } else if (clause instanceof VigilParser.OwnerClauseContext c) {
        owner = once(owner, label(c.label()), c, "owner");
      } else if (clause instanceof VigilParser.PartitionClauseContext c) {
        if (seenPartition) {
          duplicate(c, "partition by");
        }
        seenPartition = true;
        c.fieldPath().forEach(p -> partition.add(path(p)));
      } else if (clause instanceof VigilParser.FromClauseContext c) {
        from = once(from, name(c.ident()), c, "from");
      } else if (clause instanceof VigilParser.PatternClauseContext c) {
        pattern = once(pattern, sequence(c.sequence()), c, "pattern");
      } else if (clause instanceof VigilParser.WithinClauseContext c) {
        within = once(within, duration(c.DURATION(), "within", limits.window()), c, "within");
      } else if (clause instanceof VigilParser.MaxGapClauseContext c) {
        maxGap = once(maxGap, duration(c.DURATION(), "max gap", limits.window()), c, "max gap");
      } else if (clause instanceof VigilParser.SkipClauseContext c) {
        skip = once(skip, skip(c.skipStrategy()), c, "skip");
      } else if (clause instanceof VigilParser.HavingClauseContext c) {
        having = once(having, expr(c.expr()), c, "having");
      } else if (clause instanceof VigilParser.AlertClauseContext c) {
        alert = once(alert, template(c.STRING()), c, "alert");
      } else if (clause instanceof VigilParser.TimeoutAlertClauseContext c) {
        timeoutAlert = once(timeoutAlert, template(c.STRING()), c, "on timeout alert");
      }
    }
    return new RuleDecl(
        source,
        name(ctx.name),
        title,
        severity,
        tags,
        owner,
        partition,
        from,
        pattern,
        within,
        maxGap,
        skip,
        having,
        alert,
        timeoutAlert,
        span(ctx.name),
        text(ctx));
  }

  private <T> Optional<T> once(Optional<T> previous, T value, ParserRuleContext ctx, String what) {
    if (previous.isPresent()) {
      duplicate(ctx, what);
      return previous;
    }
    return Optional.of(value);
  }

  private void duplicate(ParserRuleContext ctx, String what) {
    diagnostics.add(
        Diagnostic.error(
            source,
            span(ctx.getStart()),
            "`" + what + "` is given twice",
            "keep one `" + what + "` clause per declaration"));
  }

  private Name label(VigilParser.LabelContext ctx) {
    return ctx.STRING() != null
        ? new Name(unquote(ctx.STRING().getText()), span(ctx))
        : name(ctx.ident());
  }

  private RuleDecl.Skip skip(VigilParser.SkipStrategyContext ctx) {
    Span span = span(ctx);
    if (ctx instanceof VigilParser.SkipNoneContext) {
      return new RuleDecl.Skip(RuleDecl.Skip.Kind.NONE, Optional.empty(), span);
    } else if (ctx instanceof VigilParser.SkipToNextContext) {
      return new RuleDecl.Skip(RuleDecl.Skip.Kind.TO_NEXT, Optional.empty(), span);
    } else if (ctx instanceof VigilParser.SkipPastLastEventContext) {
      return new RuleDecl.Skip(RuleDecl.Skip.Kind.PAST_LAST_EVENT, Optional.empty(), span);
    } else if (ctx instanceof VigilParser.SkipToFirstContext c) {
      return new RuleDecl.Skip(RuleDecl.Skip.Kind.TO_FIRST, Optional.of(name(c.ident())), span);
    } else {
      VigilParser.SkipToLastContext c = (VigilParser.SkipToLastContext) ctx;
      return new RuleDecl.Skip(RuleDecl.Skip.Kind.TO_LAST, Optional.of(name(c.ident())), span);
    }
  }

  // ------------------------------------------------------------------------------- patterns

  private Sequence sequence(VigilParser.SequenceContext ctx) {
    List<Sequence.Step> steps = new ArrayList<>();
    List<VigilParser.ElementContext> elements = ctx.element();
    List<VigilParser.LinkContext> links = ctx.link();
    for (int i = 0; i < elements.size(); i++) {
      VigilParser.ElementContext e = elements.get(i);
      if (i == 0) {
        steps.add(new Sequence.Step(Sequence.Link.START, span(e.getStart()), element(e)));
      } else {
        VigilParser.LinkContext l = links.get(i - 1);
        steps.add(new Sequence.Step(link(l), span(l), element(e)));
      }
    }
    return new Sequence(steps, span(ctx.getStart()));
  }

  private static Sequence.Link link(VigilParser.LinkContext ctx) {
    if (ctx instanceof VigilParser.FollowedByAnyContext) {
      return Sequence.Link.FOLLOWED_BY_ANY;
    } else if (ctx instanceof VigilParser.NotFollowedByContext
        || ctx instanceof VigilParser.NotFollowedBy2Context) {
      return Sequence.Link.NOT_FOLLOWED_BY;
    } else if (ctx instanceof VigilParser.FollowedByContext) {
      return Sequence.Link.FOLLOWED_BY;
    } else if (ctx instanceof VigilParser.NotNextContext
        || ctx instanceof VigilParser.NotNext2Context) {
      return Sequence.Link.NOT_NEXT;
    } else {
      return Sequence.Link.NEXT;
    }
  }

  private Element element(VigilParser.ElementContext ctx) {
    if (ctx instanceof VigilParser.StreamStageContext c) {
      return new Element.Stage(
          name(c.name),
          Optional.of(name(c.stream)),
          expr(c.expr()),
          quantifier(c.quantifier()),
          modifiers(c.modifier()),
          span(c.name));
    } else if (ctx instanceof VigilParser.BareStageContext c) {
      return new Element.Stage(
          name(c.name),
          Optional.empty(),
          expr(c.expr()),
          quantifier(c.quantifier()),
          modifiers(c.modifier()),
          span(c.name));
    } else {
      VigilParser.GroupContext c = (VigilParser.GroupContext) ctx;
      return new Element.Group(
          sequence(c.sequence()),
          quantifier(c.quantifier()),
          modifiers(c.modifier()),
          span(c.getStart()));
    }
  }

  private Quantifier quantifier(VigilParser.QuantifierContext ctx) {
    if (ctx == null) {
      return Quantifier.one();
    }
    Optional<Span> span = Optional.of(span(ctx));
    if (ctx instanceof VigilParser.ExactlyContext c) {
      int n = integer(c.INT());
      return new Quantifier(Quantifier.Kind.TIMES, n, OptionalInt.of(n), span);
    } else if (ctx instanceof VigilParser.RangeContext c) {
      return new Quantifier(
          Quantifier.Kind.RANGE, integer(c.INT(0)), OptionalInt.of(integer(c.INT(1))), span);
    } else if (ctx instanceof VigilParser.AtLeastContext c) {
      return new Quantifier(Quantifier.Kind.AT_LEAST, integer(c.INT()), OptionalInt.empty(), span);
    } else if (ctx instanceof VigilParser.OneOrMoreContext) {
      return new Quantifier(Quantifier.Kind.ONE_OR_MORE, 1, OptionalInt.empty(), span);
    } else if (ctx instanceof VigilParser.ZeroOrMoreContext) {
      return new Quantifier(Quantifier.Kind.ZERO_OR_MORE, 0, OptionalInt.empty(), span);
    } else {
      return new Quantifier(Quantifier.Kind.OPTIONAL, 0, OptionalInt.of(1), span);
    }
  }

  private List<Modifier> modifiers(List<VigilParser.ModifierContext> ctxs) {
    List<Modifier> out = new ArrayList<>();
    for (VigilParser.ModifierContext ctx : ctxs) {
      if (ctx instanceof VigilParser.GreedyContext) {
        out.add(new Modifier.Greedy(span(ctx)));
      } else if (ctx instanceof VigilParser.ConsecutiveContext) {
        out.add(new Modifier.Consecutive(span(ctx)));
      } else if (ctx instanceof VigilParser.AnyCombinationContext) {
        out.add(new Modifier.AnyCombination(span(ctx)));
      } else {
        VigilParser.UntilContext c = (VigilParser.UntilContext) ctx;
        out.add(new Modifier.Until(expr(c.expr()), span(ctx.getStart())));
      }
    }
    return out;
  }

  // ------------------------------------------------------------------------------- expressions

  private Expr expr(VigilParser.ExprContext ctx) {
    Span span = span(ctx);
    if (ctx instanceof VigilParser.ParensContext c) {
      return expr(c.expr());
    } else if (ctx instanceof VigilParser.NegateContext c) {
      return new Expr.Unary(Expr.UnaryOp.NEGATE, expr(c.expr()), span);
    } else if (ctx instanceof VigilParser.NotContext c) {
      return new Expr.Unary(Expr.UnaryOp.NOT, expr(c.expr()), span);
    } else if (ctx instanceof VigilParser.MultiplicativeContext c) {
      return binary(c.op, c.expr(0), c.expr(1), span);
    } else if (ctx instanceof VigilParser.AdditiveContext c) {
      return binary(c.op, c.expr(0), c.expr(1), span);
    } else if (ctx instanceof VigilParser.ComparisonContext c) {
      return binary(c.op, c.expr(0), c.expr(1), span(c.op));
    } else if (ctx instanceof VigilParser.StringTestContext c) {
      return binary(c.op, c.expr(0), c.expr(1), span(c.op));
    } else if (ctx instanceof VigilParser.AndContext c) {
      return new Expr.Binary(Expr.BinaryOp.AND, expr(c.expr(0)), expr(c.expr(1)), span);
    } else if (ctx instanceof VigilParser.OrContext c) {
      return new Expr.Binary(Expr.BinaryOp.OR, expr(c.expr(0)), expr(c.expr(1)), span);
    } else if (ctx instanceof VigilParser.InListContext c) {
      // The children are listed once: ANTLR's expr(i) scans them, which is quadratic on long lists.
      List<VigilParser.ExprContext> operands = c.expr();
      List<Expr> options = new ArrayList<>();
      for (int i = 1; i < operands.size(); i++) {
        options.add(expr(operands.get(i)));
      }
      return new Expr.In(expr(operands.get(0)), options, c.NOT() != null, span(c.IN()));
    } else if (ctx instanceof VigilParser.BetweenContext c) {
      return new Expr.Between(
          expr(c.expr()), bound(c.bound(0)), bound(c.bound(1)), c.NOT() != null, span(c.BETWEEN()));
    } else if (ctx instanceof VigilParser.LiteralExprContext c) {
      return literal(c.literal(), false);
    } else if (ctx instanceof VigilParser.CallContext c) {
      return call(c.fn, c.expr(), c.fieldPath(), span);
    } else {
      VigilParser.PathContext c = (VigilParser.PathContext) ctx;
      FieldPath path = path(c.fieldPath());
      return new Expr.Path(path, path.span());
    }
  }

  private Expr bound(VigilParser.BoundContext ctx) {
    if (ctx.literal() != null) {
      return literal(ctx.literal(), "-".equals(ctx.getStart().getText()));
    } else if (ctx.expr().size() == 1 && ctx.ident() == null) {
      return expr(ctx.expr(0));
    } else if (ctx.ident() != null) {
      return call(ctx.ident(), ctx.expr(), ctx.fieldPath(), span(ctx));
    }
    FieldPath path = path(ctx.fieldPath());
    return new Expr.Path(path, path.span());
  }

  private Expr call(
      VigilParser.IdentContext fn,
      List<VigilParser.ExprContext> args,
      VigilParser.FieldPathContext member,
      Span span) {
    List<Expr> arguments = new ArrayList<>();
    args.forEach(a -> arguments.add(expr(a)));
    return new Expr.Call(
        name(fn), arguments, Optional.ofNullable(member).map(this::path), span(fn));
  }

  private Expr binary(Token op, VigilParser.ExprContext l, VigilParser.ExprContext r, Span span) {
    return new Expr.Binary(binaryOp(op.getText()), expr(l), expr(r), span);
  }

  private static Expr.BinaryOp binaryOp(String symbol) {
    for (Expr.BinaryOp op : Expr.BinaryOp.values()) {
      if (op.symbol.equals(symbol)) {
        return op;
      }
    }
    throw new IllegalStateException("grammar and AST disagree on operator " + symbol);
  }

  private Expr literal(VigilParser.LiteralContext ctx, boolean negative) {
    Span span = span(ctx);
    Token t = ctx.getStart();
    return switch (t.getType()) {
      case VigilLexer.INT -> {
        try {
          long v = Long.parseLong(t.getText());
          yield new Expr.IntLit(negative ? -v : v, span);
        } catch (NumberFormatException e) {
          diagnostics.add(
              Diagnostic.error(
                  source, span, "integer " + t.getText() + " is too large", "use a decimal"));
          yield new Expr.IntLit(0, span);
        }
      }
      case VigilLexer.DECIMAL -> {
        BigDecimal v = new BigDecimal(t.getText());
        yield new Expr.DecimalLit(negative ? v.negate() : v, span);
      }
      case VigilLexer.STRING -> new Expr.StringLit(unquote(t.getText()), span);
      case VigilLexer.TRUE -> new Expr.BoolLit(true, span);
      case VigilLexer.FALSE -> new Expr.BoolLit(false, span);
      default -> new Expr.NullLit(span);
    };
  }

  // ------------------------------------------------------------------------------- templates

  private Template template(TerminalNode string) {
    Token token = string.getSymbol();
    String raw = string.getText();
    String body = raw.substring(1, raw.length() - 1);
    int line = token.getLine();
    // Column of the first character inside the quotes, 0-based.
    int bodyColumn = token.getCharPositionInLine() + 1;
    List<Template.Part> parts = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    int i = 0;
    while (i < body.length()) {
      char c = body.charAt(i);
      if (c == '{' && i + 1 < body.length() && body.charAt(i + 1) == '{') {
        text.append('{');
        i += 2;
      } else if (c == '}' && i + 1 < body.length() && body.charAt(i + 1) == '}') {
        text.append('}');
        i += 2;
      } else if (c == '{') {
        int close = body.indexOf('}', i);
        if (close < 0) {
          diagnostics.add(
              Diagnostic.error(
                  source,
                  new Span(line, bodyColumn + i + 1, 1),
                  "unclosed `{` in alert template",
                  "close it with `}`, or write `{{` for a literal brace"));
          break;
        }
        if (!text.isEmpty()) {
          parts.add(new Template.Text(unescape(text.toString())));
          text.setLength(0);
        }
        String hole = body.substring(i + 1, close);
        hole(hole, line, bodyColumn + i + 1)
            .ifPresent(e -> parts.add(new Template.Hole(hole.strip(), e)));
        i = close + 1;
      } else {
        text.append(c);
        i++;
      }
    }
    if (!text.isEmpty()) {
      parts.add(new Template.Text(unescape(text.toString())));
    }
    return new Template(unquote(raw), parts, span(string));
  }

  private Optional<Expr> hole(String text, int line, int column0) {
    if (text.isBlank()) {
      diagnostics.add(
          Diagnostic.error(
              source,
              new Span(line, column0, 2),
              "empty `{}` in alert template",
              "put an expression inside, e.g. `{count(tiny)}`, or write `{{}}` for braces"));
      return Optional.empty();
    }
    int before = diagnostics.size();
    Optional<VigilParser> parser = parser(text, line - 1, column0);
    if (parser.isEmpty()) {
      return Optional.empty();
    }
    VigilParser.TemplateHoleContext hole = parser.get().templateHole();
    if (diagnostics.size() == before) {
      guard.tree(hole, line - 1, column0).ifPresent(diagnostics::add);
    }
    if (diagnostics.size() > before) {
      return Optional.empty();
    }
    // Spans inside the hole are relative to it: rebuild the expression with shifted positions.
    return Optional.of(new Shift(line - 1, column0).expr(expr(hole.expr())));
  }

  // ------------------------------------------------------------------------------- leaves

  private Name name(VigilParser.IdentContext ctx) {
    return new Name(ctx.getText(), span(ctx));
  }

  private FieldPath path(VigilParser.FieldPathContext ctx) {
    List<String> segments = new ArrayList<>();
    ctx.ident().forEach(i -> segments.add(i.getText()));
    return new FieldPath(segments, span(ctx));
  }

  private DurationLiteral duration(TerminalNode node, String clause, Duration limit) {
    String text = node.getText();
    int unitAt = 0;
    while (unitAt < text.length() && Character.isDigit(text.charAt(unitAt))) {
      unitAt++;
    }
    long unitMillis =
        switch (text.substring(unitAt)) {
          case "ms" -> 1L;
          case "s" -> 1_000L;
          case "m" -> 60_000L;
          case "h" -> 3_600_000L;
          default -> 86_400_000L;
        };
    BigInteger millis =
        new BigInteger(text.substring(0, unitAt)).multiply(BigInteger.valueOf(unitMillis));
    if (millis.bitLength() > 62) {
      unrepresentable(
          span(node),
          "`" + clause + " " + text + "` is out of range",
          "`"
              + clause
              + "` allows at most "
              + Limits.format(limit)
              + " (the limit `"
              + (clause.equals("lateness") ? "lateness" : "window")
              + "`)");
      return new DurationLiteral(Duration.ZERO, text, span(node));
    }
    return new DurationLiteral(Duration.ofMillis(millis.longValueExact()), text, span(node));
  }

  private void unrepresentable(Span span, String message, String hint) {
    unrepresentable = true;
    diagnostics.add(Diagnostic.error(source, span, message, hint));
  }

  /** The exact text of a declaration (indexes of ANTLR's char stream are code points). */
  private static String text(ParserRuleContext ctx) {
    return ctx.getStart()
        .getInputStream()
        .getText(
            org.antlr.v4.runtime.misc.Interval.of(
                ctx.getStart().getStartIndex(), ctx.getStop().getStopIndex()));
  }

  /** A count of a quantifier; one that does not fit an int is reported, never clamped. */
  private int integer(TerminalNode node) {
    BigInteger value = new BigInteger(node.getText());
    if (value.bitLength() > 31) {
      unrepresentable(
          span(node),
          "the count " + node.getText() + " is out of range",
          "a quantifier counts at most "
              + limits.quantifier()
              + " events (the limit `quantifier`)");
      return 1;
    }
    return value.intValueExact();
  }

  static String unquote(String quoted) {
    return unescape(quoted.substring(1, quoted.length() - 1));
  }

  /** {@code \"} and {@code \\} are escapes; any other backslash stays as written. */
  private static String unescape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length() && (s.charAt(i + 1) == '"' || s.charAt(i + 1) == '\\')) {
        out.append(s.charAt(++i));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static Span span(TerminalNode node) {
    return span(node.getSymbol());
  }

  private static Span span(Token token) {
    return new Span(token.getLine(), token.getCharPositionInLine() + 1, token.getText().length());
  }

  private static Span span(ParserRuleContext ctx) {
    Token start = ctx.getStart();
    Token stop = ctx.getStop();
    int length =
        stop != null && stop.getLine() == start.getLine()
            ? stop.getStopIndex() - start.getStartIndex() + 1
            : start.getText().length();
    return new Span(start.getLine(), start.getCharPositionInLine() + 1, length);
  }

  /** Moves spans of an expression parsed on its own (a template hole) to where it sits. */
  private record Shift(int lines, int columns) {

    Span span(Span s) {
      return new Span(
          s.line() + lines, s.line() == 1 ? s.column() + columns : s.column(), s.length());
    }

    FieldPath path(FieldPath p) {
      return new FieldPath(p.segments(), span(p.span()));
    }

    Name name(Name n) {
      return new Name(n.text(), span(n.span()));
    }

    Expr expr(Expr e) {
      if (e instanceof Expr.StringLit x) {
        return new Expr.StringLit(x.value(), span(x.span()));
      } else if (e instanceof Expr.IntLit x) {
        return new Expr.IntLit(x.value(), span(x.span()));
      } else if (e instanceof Expr.DecimalLit x) {
        return new Expr.DecimalLit(x.value(), span(x.span()));
      } else if (e instanceof Expr.BoolLit x) {
        return new Expr.BoolLit(x.value(), span(x.span()));
      } else if (e instanceof Expr.NullLit x) {
        return new Expr.NullLit(span(x.span()));
      } else if (e instanceof Expr.Path x) {
        return new Expr.Path(path(x.path()), span(x.span()));
      } else if (e instanceof Expr.Call x) {
        return new Expr.Call(
            name(x.function()),
            x.args().stream().map(this::expr).toList(),
            x.member().map(this::path),
            span(x.span()));
      } else if (e instanceof Expr.Unary x) {
        return new Expr.Unary(x.op(), expr(x.operand()), span(x.span()));
      } else if (e instanceof Expr.Binary x) {
        return new Expr.Binary(x.op(), expr(x.left()), expr(x.right()), span(x.span()));
      } else if (e instanceof Expr.In x) {
        return new Expr.In(
            expr(x.value()),
            x.options().stream().map(this::expr).toList(),
            x.negated(),
            span(x.span()));
      } else {
        Expr.Between x = (Expr.Between) e;
        return new Expr.Between(
            expr(x.value()), expr(x.low()), expr(x.high()), x.negated(), span(x.span()));
      }
    }
  }
}
