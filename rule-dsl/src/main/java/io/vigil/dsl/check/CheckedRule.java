package io.vigil.dsl.check;

import io.vigil.dsl.ast.RuleDecl;
import io.vigil.dsl.schema.StreamSchema;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A rule that passed every check: names resolved, types known, Flink's structural limits respected.
 * It is what the compiler turns into a Flink CEP pattern.
 *
 * @param streams the streams the rule reads, in order of first use
 * @param partitionBy the key fields; every stream the rule reads declares all of them
 */
public record CheckedRule(
    String id,
    RuleDecl declaration,
    RuleMetadata metadata,
    List<PartitionKey> partitionBy,
    List<StreamSchema> streams,
    CheckedPattern pattern,
    Optional<Duration> within,
    Optional<Duration> maxGap,
    SkipStrategy skip,
    Optional<TypedExpr> having,
    Optional<CheckedTemplate> alert,
    Optional<CheckedTemplate> timeoutAlert) {

  public CheckedRule {
    partitionBy = List.copyOf(partitionBy);
    streams = List.copyOf(streams);
  }

  public boolean reads(String stream) {
    return streams.stream().anyMatch(s -> s.name().equals(stream));
  }
}
