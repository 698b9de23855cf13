package io.vigil.runtime.rules;

import io.vigil.dsl.schema.StreamSchema;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The streams one parallel instance knows: each declaration's latest version and its schema. A
 * redeclared schema rebuilds the active rules that read the stream ({@link RuleVersions#rebuild}):
 * field indexes move, so their fingerprint changes and their partial matches are dropped.
 */
final class StreamDeclarations {

  private final RuleBuilder builder;
  private final RuleLimits limits;
  private final RuleVersions versions;
  private final Map<String, RuleCommand.DeclareStream> commands = new LinkedHashMap<>();
  private final Map<String, StreamSchema> schemas = new LinkedHashMap<>();

  StreamDeclarations(RuleBuilder builder, RuleLimits limits, RuleVersions versions) {
    this.builder = builder;
    this.limits = limits;
    this.versions = versions;
  }

  /** The schemas by stream name (a read-only view that follows later declarations). */
  Map<String, StreamSchema> schemas() {
    return Collections.unmodifiableMap(schemas);
  }

  Optional<RuleCommand.DeclareStream> command(String stream) {
    return Optional.ofNullable(commands.get(stream));
  }

  /** Declares or redeclares a stream; the outcomes of the stream and of every rule rebuilt. */
  List<RuleBook.Outcome> declare(RuleCommand.DeclareStream declare) {
    RuleCommand.DeclareStream current = commands.get(declare.stream());
    if (current != null && current.version() >= declare.version()) {
      // A replay of the compacted topic is acknowledged like a rule's, so that a stream declared
      // before the job started shows as active too.
      return current.equals(declare)
          ? List.of(
              new RuleBook.Outcome(
                  RuleCommand.STREAM_KEY_PREFIX + declare.stream(),
                  declare.version(),
                  RuleStatus.State.ACTIVE,
                  "unchanged",
                  List.of()))
          : List.of();
    }
    if (limits.jumpsTooFar(current == null ? 0 : current.version(), declare.version())) {
      return List.of(
          new RuleBook.Outcome(
              RuleCommand.STREAM_KEY_PREFIX + declare.stream(),
              declare.version(),
              RuleStatus.State.REJECTED,
              versions.tooFar(declare.version(), current == null ? 0 : current.version()),
              List.of()));
    }
    StreamSchema schema;
    try {
      Map<String, StreamSchema> others = new HashMap<>(schemas);
      others.remove(declare.stream());
      schema = builder.declareStream(declare, others);
    } catch (RuleRejectedException e) {
      return List.of(
          new RuleBook.Outcome(
              RuleCommand.STREAM_KEY_PREFIX + declare.stream(),
              declare.version(),
              RuleStatus.State.REJECTED,
              e.getMessage(),
              List.of()));
    }
    commands.put(declare.stream(), declare);
    schemas.put(declare.stream(), schema);
    List<RuleBook.Outcome> outcomes = new ArrayList<>();
    outcomes.add(
        new RuleBook.Outcome(
            RuleCommand.STREAM_KEY_PREFIX + declare.stream(),
            declare.version(),
            RuleStatus.State.ACTIVE,
            "stream declared",
            List.of()));
    // Rules reading the stream are rebuilt: a schema change moves field indexes, so their
    // fingerprint changes and their partial matches are dropped.
    for (RuleBook.Entry entry : List.copyOf(versions.entries())) {
      if (entry.state() == RuleStatus.State.ACTIVE
          && entry.rule().map(r -> r.streams().contains(declare.stream())).orElse(false)) {
        outcomes.add(versions.rebuild(entry, entry.command().orElseThrow(), schemas));
      }
    }
    return outcomes;
  }
}
