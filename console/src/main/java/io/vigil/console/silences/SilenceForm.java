package io.vigil.console.silences;

import io.vigil.console.alertservice.Matcher;
import io.vigil.console.subscriptions.MatcherFields;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.springframework.boot.convert.DurationStyle;

/**
 * The silence form: matchers, then either a duration from now ({@code 2h}) or an end time (UTC,
 * {@code 2026-12-04T18:00}), and a comment.
 */
public record SilenceForm(
    String rules,
    String tags,
    String owners,
    String key,
    String duration,
    String until,
    String comment) {

  public SilenceForm {
    rules = rules == null ? "" : rules;
    tags = tags == null ? "" : tags;
    owners = owners == null ? "" : owners;
    key = key == null ? "" : key;
    duration = duration == null ? "" : duration.trim();
    until = until == null ? "" : until.trim();
    comment = comment == null ? "" : comment.trim();
  }

  static SilenceForm blank() {
    return new SilenceForm("", "", "", "", "1h", "", "");
  }

  Matcher matcher(List<String> problems) {
    Matcher match = new MatcherFields(rules, tags, owners, key).toMatcher(problems);
    if (match.isEmpty()) {
      problems.add(
          "Give at least one matcher (rule, tag, owner or key): a silence of everything is refused.");
    }
    return match;
  }

  /** When the silence ends: {@code now + duration}, or the given time; problems otherwise. */
  Instant endsAt(Instant now, List<String> problems) {
    if (!until.isEmpty()) {
      try {
        Instant end = LocalDateTime.parse(until).toInstant(ZoneOffset.UTC);
        if (!end.isAfter(now)) {
          problems.add("Until: the end must be in the future (times are UTC).");
        }
        return end;
      } catch (DateTimeParseException e) {
        problems.add("Until: write a UTC time such as 2026-12-04T18:00.");
        return now;
      }
    }
    if (duration.isEmpty()) {
      problems.add("Give a duration (e.g. 2h) or an end time.");
      return now;
    }
    try {
      Duration d = DurationStyle.detectAndParse(duration);
      if (d.isNegative() || d.isZero()) {
        problems.add("Duration: must be more than zero.");
      }
      return now.plus(d);
    } catch (IllegalArgumentException e) {
      problems.add("Duration: write a duration such as 30m, 2h or 1d (got \"" + duration + "\").");
      return now;
    }
  }
}
