package io.vigil.compiler.rule;

import io.vigil.dsl.check.CheckedRule;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.dsl.limits.Limits;
import io.vigil.dsl.schema.StreamSchema;
import io.vigil.dsl.schema.Type;
import java.io.InvalidObjectException;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * The serialized form of a {@link CompiledRule}: its source and the schemas of its streams. Reading
 * it back re-checks the source and recompiles the rule.
 */
record SerializedRule(
    String sourceName, String sourceText, String ruleId, List<Stream> streams, Limits limits)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  record Field(String path, Type type) implements Serializable {}

  record Stream(String name, List<Field> fields, int timeIndex, Duration lateness)
      implements Serializable {

    StreamSchema schema() {
      List<StreamSchema.Field> out = new java.util.ArrayList<>();
      for (int i = 0; i < fields.size(); i++) {
        out.add(new StreamSchema.Field(fields.get(i).path(), fields.get(i).type(), i));
      }
      return new StreamSchema(name, out, timeIndex, lateness);
    }
  }

  static SerializedRule of(CheckedRule rule, Limits limits) {
    SourceFile source = rule.declaration().source();
    List<Stream> streams =
        rule.streams().stream()
            .map(
                s ->
                    new Stream(
                        s.name(),
                        s.fields().stream().map(f -> new Field(f.path(), f.type())).toList(),
                        s.timeIndex(),
                        s.lateness()))
            .toList();
    return new SerializedRule(source.name(), source.text(), rule.id(), streams, limits);
  }

  private Object readResolve() throws ObjectStreamException {
    List<StreamSchema> schemas = streams.stream().map(Stream::schema).toList();
    try {
      return RuleCompiler.recompile(
          new SourceFile(sourceName, sourceText),
          ruleId,
          schemas,
          // A copy written before rules carried their limits was checked within the defaults.
          limits == null ? Limits.defaults() : limits);
    } catch (RuntimeException e) {
      InvalidObjectException failure =
          new InvalidObjectException("cannot recompile rule " + ruleId + ": " + e.getMessage());
      failure.initCause(e);
      throw failure;
    }
  }
}
