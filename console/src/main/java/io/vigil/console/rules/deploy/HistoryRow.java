package io.vigil.console.rules.deploy;

import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.deploy.RuleVersion;
import java.time.Instant;

/** One published version of a rule as its page lists it. */
public record HistoryRow(long version, String command, Instant publishedAt, boolean hasSource) {

  public static HistoryRow of(RuleVersion v) {
    RuleCommand c = v.command();
    String command =
        c instanceof RuleCommand.UpsertRule
            ? "upsert"
            : c instanceof RuleCommand.DisableRule
                ? "disable"
                : c instanceof RuleCommand.DeleteRule ? "delete" : "declare stream";
    return new HistoryRow(v.version(), command, v.publishedAt(), v.source().isPresent());
  }
}
