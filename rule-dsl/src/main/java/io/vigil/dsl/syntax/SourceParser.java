package io.vigil.dsl.syntax;

import io.vigil.dsl.ast.Declaration;
import io.vigil.dsl.ast.Expr;
import io.vigil.dsl.diagnostic.Diagnostic;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.dsl.limits.Limits;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.misc.ParseCancellationException;

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

  private final ParseSession session;
  private final ExprBuilder exprs;
  private final DeclarationBuilder declarations;

  private SourceParser(SourceFile source, Limits limits) {
    this.session = new ParseSession(source, limits);
    this.exprs = new ExprBuilder(session);
    this.declarations = new DeclarationBuilder(session, exprs);
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
      return new Result(List.of(), p.session.diagnostics);
    } catch (StackOverflowError e) {
      return new Result(List.of(), List.of(p.session.guard.stackExhausted()));
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
      Optional<Diagnostic> tooLarge = p.session.guard.size();
      if (tooLarge.isPresent()) {
        return new ExpressionResult(Optional.empty(), List.of(tooLarge.get()));
      }
      Optional<VigilParser.TemplateHoleContext> parsed =
          p.session.parse(source.text(), 0, 0, VigilParser::templateHole);
      if (parsed.isEmpty()) {
        return new ExpressionResult(Optional.empty(), p.session.diagnostics);
      }
      VigilParser.TemplateHoleContext ctx = parsed.get();
      if (p.session.diagnostics.isEmpty()) {
        p.session.guard.tree(ctx, 0, 0).ifPresent(p.session.diagnostics::add);
      }
      Optional<Expr> expr =
          p.session.diagnostics.isEmpty()
              ? Optional.of(p.exprs.expr(ctx.expr()))
              : Optional.empty();
      return new ExpressionResult(expr, p.session.diagnostics);
    } catch (ParseCancellationException e) {
      return new ExpressionResult(Optional.empty(), p.session.diagnostics);
    } catch (StackOverflowError e) {
      return new ExpressionResult(Optional.empty(), List.of(p.session.guard.stackExhausted()));
    }
  }

  /** An expression if it could be read, and every syntax error. */
  public record ExpressionResult(Optional<Expr> expr, List<Diagnostic> diagnostics) {
    public ExpressionResult {
      diagnostics = List.copyOf(diagnostics);
    }
  }

  private Result parseFile() {
    List<Diagnostic> diagnostics = session.diagnostics;
    Optional<Diagnostic> tooLarge = session.guard.size();
    if (tooLarge.isPresent()) {
      return new Result(List.of(), List.of(tooLarge.get()));
    }
    Optional<VigilParser.FileContext> parsed =
        session.parse(session.source.text(), 0, 0, VigilParser::file);
    if (parsed.isEmpty()) {
      return new Result(List.of(), diagnostics);
    }
    VigilParser.FileContext file = parsed.get();
    if (diagnostics.isEmpty()) {
      session.guard.tree(file, 0, 0).ifPresent(diagnostics::add);
    }
    if (!diagnostics.isEmpty()) {
      // A tree with syntax errors has holes; building an AST from it would only add confusing
      // follow-up errors.
      return new Result(List.of(), diagnostics);
    }
    List<Declaration> read = new ArrayList<>();
    for (VigilParser.DeclarationContext d : file.declaration()) {
      session.startDeclaration();
      Declaration declaration =
          d.streamDecl() != null
              ? declarations.stream(d.streamDecl())
              : declarations.rule(d.ruleDecl());
      if (session.representable()) {
        read.add(declaration);
      }
    }
    return new Result(read, diagnostics);
  }
}
