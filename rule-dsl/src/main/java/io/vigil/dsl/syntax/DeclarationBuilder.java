package io.vigil.dsl.syntax;

import static io.vigil.dsl.syntax.Quoting.unquote;
import static io.vigil.dsl.syntax.Spans.span;
import static io.vigil.dsl.syntax.Spans.text;

import io.vigil.dsl.ast.DurationLiteral;
import io.vigil.dsl.ast.Element;
import io.vigil.dsl.ast.Expr;
import io.vigil.dsl.ast.FieldPath;
import io.vigil.dsl.ast.Modifier;
import io.vigil.dsl.ast.Name;
import io.vigil.dsl.ast.Quantifier;
import io.vigil.dsl.ast.RuleDecl;
import io.vigil.dsl.ast.Sequence;
import io.vigil.dsl.ast.StreamDecl;
import io.vigil.dsl.ast.Template;
import io.vigil.dsl.diagnostic.Diagnostic;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.dsl.diagnostic.Span;
import io.vigil.dsl.limits.Limits;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.antlr.v4.runtime.ParserRuleContext;

/**
 * Builds stream and rule declarations and their patterns (sequences, stages, quantifiers,
 * modifiers) from the parse tree; a clause given twice is reported and the first one kept.
 */
final class DeclarationBuilder {
  private final ParseSession session;
  private final ExprBuilder exprs;
  private final SourceFile source;
  private final Limits limits;
  private final List<Diagnostic> diagnostics;

  DeclarationBuilder(ParseSession session, ExprBuilder exprs) {
    this.session = session;
    this.exprs = exprs;
    this.source = session.source;
    this.limits = session.limits;
    this.diagnostics = session.diagnostics;
  }

  StreamDecl stream(VigilParser.StreamDeclContext ctx) {
    Optional<FieldPath> time = Optional.empty();
    Optional<DurationLiteral> lateness = Optional.empty();
    List<StreamDecl.FieldDecl> fields = new ArrayList<>();
    for (VigilParser.StreamClauseContext clause : ctx.streamClause()) {
      if (clause instanceof VigilParser.TimeClauseContext t) {
        time = once(time, exprs.path(t.fieldPath()), clause, "time");
      } else if (clause instanceof VigilParser.LatenessClauseContext l) {
        lateness =
            once(
                lateness,
                session.duration(l.DURATION(), "lateness", limits.lateness()),
                clause,
                "lateness");
      } else if (clause instanceof VigilParser.FieldsClauseContext f) {
        for (VigilParser.FieldDeclContext fd : f.fieldDecl()) {
          fields.add(
              new StreamDecl.FieldDecl(
                  exprs.path(fd.fieldPath()), exprs.name(fd.typeName), span(fd)));
        }
      }
    }
    return new StreamDecl(
        source, exprs.name(ctx.name), time, lateness, fields, span(ctx.name), text(ctx));
  }

  RuleDecl rule(VigilParser.RuleDeclContext ctx) {
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
        severity = once(severity, exprs.name(c.ident()), c, "severity");
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
        c.fieldPath().forEach(p -> partition.add(exprs.path(p)));
      } else if (clause instanceof VigilParser.FromClauseContext c) {
        from = once(from, exprs.name(c.ident()), c, "from");
      } else if (clause instanceof VigilParser.PatternClauseContext c) {
        pattern = once(pattern, sequence(c.sequence()), c, "pattern");
      } else if (clause instanceof VigilParser.WithinClauseContext c) {
        within =
            once(within, session.duration(c.DURATION(), "within", limits.window()), c, "within");
      } else if (clause instanceof VigilParser.MaxGapClauseContext c) {
        maxGap =
            once(maxGap, session.duration(c.DURATION(), "max gap", limits.window()), c, "max gap");
      } else if (clause instanceof VigilParser.SkipClauseContext c) {
        skip = once(skip, skip(c.skipStrategy()), c, "skip");
      } else if (clause instanceof VigilParser.HavingClauseContext c) {
        having = once(having, exprs.expr(c.expr()), c, "having");
      } else if (clause instanceof VigilParser.AlertClauseContext c) {
        alert = once(alert, exprs.template(c.STRING()), c, "alert");
      } else if (clause instanceof VigilParser.TimeoutAlertClauseContext c) {
        timeoutAlert = once(timeoutAlert, exprs.template(c.STRING()), c, "on timeout alert");
      }
    }
    return new RuleDecl(
        source,
        exprs.name(ctx.name),
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
        : exprs.name(ctx.ident());
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
      return new RuleDecl.Skip(
          RuleDecl.Skip.Kind.TO_FIRST, Optional.of(exprs.name(c.ident())), span);
    } else {
      VigilParser.SkipToLastContext c = (VigilParser.SkipToLastContext) ctx;
      return new RuleDecl.Skip(
          RuleDecl.Skip.Kind.TO_LAST, Optional.of(exprs.name(c.ident())), span);
    }
  }

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
          exprs.name(c.name),
          Optional.of(exprs.name(c.stream)),
          exprs.expr(c.expr()),
          quantifier(c.quantifier()),
          modifiers(c.modifier()),
          span(c.name));
    } else if (ctx instanceof VigilParser.BareStageContext c) {
      return new Element.Stage(
          exprs.name(c.name),
          Optional.empty(),
          exprs.expr(c.expr()),
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
      int n = session.integer(c.INT());
      return new Quantifier(Quantifier.Kind.TIMES, n, OptionalInt.of(n), span);
    } else if (ctx instanceof VigilParser.RangeContext c) {
      return new Quantifier(
          Quantifier.Kind.RANGE,
          session.integer(c.INT(0)),
          OptionalInt.of(session.integer(c.INT(1))),
          span);
    } else if (ctx instanceof VigilParser.AtLeastContext c) {
      return new Quantifier(
          Quantifier.Kind.AT_LEAST, session.integer(c.INT()), OptionalInt.empty(), span);
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
        out.add(new Modifier.Until(exprs.expr(c.expr()), span(ctx.getStart())));
      }
    }
    return out;
  }
}
