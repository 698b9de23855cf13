package io.vigil.runtime.deploy;

import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns changes into commands against what is deployed and the history: the next version of a key
 * is one more than the highest it ever had (on the control topic, in the history, or in the job's
 * answers), and a change that would not change what is deployed publishes nothing. Later changes of
 * one batch see the earlier ones.
 */
final class Plan {

  /** The publications, in the order of the changes, and the commands to publish. */
  record Result(List<Publication> publications, List<Publication> toPublish) {}

  private final Map<String, DeployedCommand> deployed;
  private final Map<String, List<RuleVersion>> history;
  private final Map<String, Long> highest = new HashMap<>();

  /**
   * @param answered the highest version the job answered per key (also versions it refused)
   */
  Plan(DeployedRules deployed, Map<String, List<RuleVersion>> history, Map<String, Long> answered) {
    this.deployed = new HashMap<>(deployed.byKey());
    this.history = history;
    deployed.byKey().forEach((key, command) -> highest.merge(key, command.version(), Math::max));
    history.forEach(
        (key, versions) -> versions.forEach(v -> highest.merge(key, v.version(), Math::max)));
    answered.forEach((key, version) -> highest.merge(key, version, Math::max));
  }

  Result apply(List<Change> changes, Instant now) {
    List<Publication> all = new ArrayList<>();
    List<Publication> toPublish = new ArrayList<>();
    for (Change change : changes) {
      Publication publication = apply(change, now);
      all.add(publication);
      if (publication.changed()) {
        toPublish.add(publication);
        deployed.put(
            publication.key(),
            new DeployedCommand(
                publication.key(), publication.command(), publication.version(), now));
        highest.merge(publication.key(), publication.version(), Math::max);
      }
    }
    return new Result(all, toPublish);
  }

  private Publication apply(Change change, Instant now) {
    String key = change.key();
    Optional<DeployedCommand> current = Optional.ofNullable(deployed.get(key));
    long next = highest.getOrDefault(key, 0L) + 1;
    if (change instanceof Change.DeclareStream s) {
      return upsert(key, current, s.source(), false, RuleCommand.Language.VGL, next, now);
    } else if (change instanceof Change.UpsertRule u) {
      requireRuleId(key);
      return upsert(key, current, u.source(), u.letPartialMatchesFinish(), u.language(), next, now);
    } else if (change instanceof Change.Rollback r) {
      RuleVersion target =
          history.getOrDefault(key, List.of()).stream()
              .filter(v -> v.version() == r.toVersion())
              .findFirst()
              .orElseThrow(
                  () ->
                      new DeployException(
                          key + " has no version " + r.toVersion() + versions(key)));
      String source =
          target
              .source()
              .orElseThrow(
                  () ->
                      new DeployException(
                          key + " v" + r.toVersion() + " carries no source (a disable or delete)"));
      RuleCommand.Language language =
          target.command() instanceof RuleCommand.UpsertRule u
              ? u.language()
              : RuleCommand.Language.VGL;
      return upsert(key, current, source, false, language, next, now);
    } else if (change instanceof Change.DisableRule) {
      requireRuleId(key);
      DeployedCommand rule =
          current
              .filter(c -> !(c.command() instanceof RuleCommand.DeleteRule))
              .orElseThrow(() -> new DeployException("rule " + key + " is not deployed"));
      if (rule.command() instanceof RuleCommand.DisableRule) {
        return unchanged(rule);
      }
      return new Publication(
          key,
          next,
          new RuleCommand.DisableRule(key, next),
          true,
          new Rollout(key, next, RuleStatus.State.DISABLED, now));
    } else {
      requireRuleId(key);
      if (current.isEmpty() || current.get().command() instanceof RuleCommand.DeleteRule) {
        long last = highest.getOrDefault(key, 0L);
        return new Publication(
            key,
            last,
            new RuleCommand.DeleteRule(key),
            false,
            new Rollout(
                key,
                last,
                RuleStatus.State.DELETED,
                current.map(DeployedCommand::publishedAt).orElse(now)));
      }
      return new Publication(
          key,
          next,
          new RuleCommand.DeleteRule(key),
          true,
          new Rollout(key, next, RuleStatus.State.DELETED, now));
    }
  }

  private static Publication upsert(
      String key,
      Optional<DeployedCommand> current,
      String source,
      boolean letPartialMatchesFinish,
      RuleCommand.Language language,
      long next,
      Instant now) {
    // Whitespace around a declaration is not part of it (a file's last newline, an editor's).
    if (current.isPresent()
        && current.get().source().map(s -> s.strip().equals(source.strip())).orElse(false)
        && languageOf(current.get().command()) == language) {
      return unchanged(current.get());
    }
    RuleCommand command =
        key.startsWith(RuleCommand.STREAM_KEY_PREFIX)
            ? new RuleCommand.DeclareStream(
                key.substring(RuleCommand.STREAM_KEY_PREFIX.length()), next, source)
            : new RuleCommand.UpsertRule(
                key, next, source, Long.MIN_VALUE, letPartialMatchesFinish, language);
    return new Publication(
        key, next, command, true, new Rollout(key, next, RuleStatus.State.ACTIVE, now));
  }

  private static RuleCommand.Language languageOf(RuleCommand command) {
    return command instanceof RuleCommand.UpsertRule u ? u.language() : RuleCommand.Language.VGL;
  }

  /** What is deployed, as a publication that publishes nothing. */
  static Publication unchanged(DeployedCommand current) {
    return new Publication(
        current.key(),
        current.version(),
        current.command(),
        false,
        new Rollout(
            current.key(), current.version(), expected(current.command()), current.publishedAt()));
  }

  /** The state the job reports once it has applied {@code command}. */
  static RuleStatus.State expected(RuleCommand command) {
    if (command instanceof RuleCommand.DisableRule) {
      return RuleStatus.State.DISABLED;
    } else if (command instanceof RuleCommand.DeleteRule) {
      return RuleStatus.State.DELETED;
    }
    return RuleStatus.State.ACTIVE;
  }

  private static void requireRuleId(String key) {
    if (key.isEmpty() || key.startsWith(RuleCommand.STREAM_KEY_PREFIX) || key.contains("@")) {
      throw new DeployException(
          "'" + key + "' is not a rule id (streams can only be declared, rolled back)");
    }
  }

  private String versions(String key) {
    List<Long> known =
        history.getOrDefault(key, List.of()).stream().map(RuleVersion::version).toList();
    return known.isEmpty() ? " (it has no history)" : " (known versions: " + known + ")";
  }
}
