package io.vigil.dsl.ast;

import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.dsl.diagnostic.Span;
import java.util.List;
import java.util.Optional;

/** A rule as written. Every clause is optional here; the checker says which ones are missing. */
public record RuleDecl(
    SourceFile source,
    Name name,
    Optional<StringLiteral> title,
    Optional<Name> severity,
    List<Name> tags,
    Optional<Name> owner,
    List<FieldPath> partitionBy,
    Optional<Name> from,
    Optional<Sequence> pattern,
    Optional<DurationLiteral> within,
    Optional<DurationLiteral> maxGap,
    Optional<Skip> skip,
    Optional<Expr> having,
    Optional<Template> alert,
    Optional<Template> timeoutAlert,
    Span span,
    String text)
    implements Declaration {

  public RuleDecl {
    tags = List.copyOf(tags);
    partitionBy = List.copyOf(partitionBy);
  }

  /** A string literal with its unescaped value. */
  public record StringLiteral(String value, Span span) {}

  /** {@code skip ...}: Flink's AfterMatchSkipStrategy. */
  public record Skip(Kind kind, Optional<Name> stage, Span span) {
    public enum Kind {
      NONE,
      TO_NEXT,
      PAST_LAST_EVENT,
      TO_FIRST,
      TO_LAST
    }
  }
}
