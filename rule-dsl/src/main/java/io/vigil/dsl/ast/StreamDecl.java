package io.vigil.dsl.ast;

import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.dsl.diagnostic.Span;
import java.util.List;
import java.util.Optional;

/** {@code stream NAME time FIELD lateness D fields ...}: the schema of one event stream. */
public record StreamDecl(
    SourceFile source,
    Name name,
    Optional<FieldPath> timeField,
    Optional<DurationLiteral> lateness,
    List<FieldDecl> fields,
    Span span,
    String text)
    implements Declaration {

  public StreamDecl {
    fields = List.copyOf(fields);
  }

  /** {@code path: type}; a dotted path declares a field of a nested object. */
  public record FieldDecl(FieldPath path, Name type, Span span) {}
}
