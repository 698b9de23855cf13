package io.vigil.runtime.config;

import static io.vigil.runtime.config.Parsers.atLeast;
import static io.vigil.runtime.config.Parsers.overrides;
import static io.vigil.runtime.config.Parsers.positive;
import static io.vigil.runtime.config.Parsers.positiveLong;

import io.vigil.dsl.limits.Limits;
import io.vigil.runtime.control.CommandSignature;
import java.util.List;

/** What rules the job accepts: signatures, the rule language's limits, and how many. */
public final class RuleOptions {

  private RuleOptions() {}

  /** The largest integer a JSON number holds exactly (2^53 − 1). */
  private static final long MAX_EXACT_JSON_INTEGER = (1L << 53) - 1;

  public static final Option<String> SIGNING_KEY =
      new Option<>(
          "control.signing-key",
          "",
          "Key of signed rule commands: a shared HMAC secret (at least 16 bytes) or an Ed25519"
              + " public key in PEM (-----BEGIN PUBLIC KEY-----…); when set (here or in the"
              + " environment variable "
              + CommandSignature.ENV_VAR
              + "), control records without a valid "
              + CommandSignature.HEADER
              + " header are not applied but answered REJECTED.",
          t -> {
            String secret = t.trim();
            if (!secret.isEmpty()) {
              CommandSignature.of(secret);
            }
            return secret;
          });
  public static final Option<Limits> RULE_LIMITS =
      new Option<>(
          "rules.limits",
          "",
          "Overrides of the rule language's limits as NAME=VALUE pairs separated by commas, e.g."
              + " quantifier=100,nesting-depth=50 (names and defaults: docs/language.md, Limits; the"
              + " same as vigil check --limit). A rule or stream beyond them is REJECTED.",
          overrides(Limits.defaults(), Limits::with));
  public static final Option<Integer> MAX_LIVE_RULES =
      new Option<>(
          "rules.max-live",
          "10000",
          "Rules running at once; a new rule beyond it is REJECTED (running ones can be updated).",
          positive());
  public static final Option<Long> MAX_VERSION_JUMP =
      new Option<>(
          "rules.max-version-jump",
          Long.toString(MAX_EXACT_JSON_INTEGER),
          "How far above a rule's (or stream's) current version a command may jump (from 0 for a new"
              + " one); a command beyond it is REJECTED, so no version can lock a rule for good.",
          positiveLong());
  public static final Option<Integer> MAX_UNKNOWN_IDS =
      new Option<>(
          "rules.max-unknown-ids",
          "10000",
          "Ids that were only ever disabled (never had a rule) that the job remembers for their"
              + " version; further ones are acknowledged but not kept (metric unknownRuleIdsNotKept).",
          atLeast(0));

  /** The options of this group, in documentation order. */
  public static List<Option<?>> all() {
    return List.of(SIGNING_KEY, RULE_LIMITS, MAX_LIVE_RULES, MAX_VERSION_JUMP, MAX_UNKNOWN_IDS);
  }
}
