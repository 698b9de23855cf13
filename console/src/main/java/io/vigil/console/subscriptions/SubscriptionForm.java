package io.vigil.console.subscriptions;

import io.vigil.console.alertservice.Grouping;
import io.vigil.console.alertservice.Subscription;
import io.vigil.console.alertservice.SubscriptionRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.boot.convert.DurationStyle;

/**
 * The subscription form as posted. Durations are written the way the console's options are ({@code
 * 30s}, {@code 5m}, {@code 1h}; empty or {@code 0}: off).
 */
public record SubscriptionForm(
    String name,
    String type,
    Boolean enabled,
    String url,
    String secret,
    String to,
    String minSeverity,
    String rules,
    String tags,
    String owners,
    String key,
    String throttle,
    String groupBy,
    String groupWindow) {

  static final Set<String> TYPES = Set.of("webhook", "email");
  static final List<String> SEVERITIES = List.of("low", "medium", "high", "critical");
  static final Set<String> GROUPINGS = Set.of("none", "rule", "all");

  public SubscriptionForm {
    name = name == null ? "" : name.trim();
    type = type == null || type.isBlank() ? "webhook" : type.trim();
    enabled = enabled != null && enabled;
    url = url == null ? "" : url.trim();
    secret = secret == null ? "" : secret;
    to = to == null ? "" : to.trim();
    minSeverity = minSeverity == null || minSeverity.isBlank() ? "low" : minSeverity.trim();
    rules = rules == null ? "" : rules;
    tags = tags == null ? "" : tags;
    owners = owners == null ? "" : owners;
    key = key == null ? "" : key;
    throttle = throttle == null ? "" : throttle.trim();
    groupBy = groupBy == null || groupBy.isBlank() ? "none" : groupBy.trim();
    groupWindow = groupWindow == null ? "" : groupWindow.trim();
  }

  static SubscriptionForm blank() {
    return new SubscriptionForm(
        "", "webhook", true, "", "", "", "low", "", "", "", "", "", "none", "");
  }

  static SubscriptionForm of(Subscription s) {
    MatcherFields match = MatcherFields.of(s.match());
    return new SubscriptionForm(
        s.name(),
        s.type(),
        s.enabled(),
        s.url(),
        "",
        String.join(", ", s.to()),
        s.minSeverity(),
        match.rules(),
        match.tags(),
        match.owners(),
        match.key(),
        s.throttle().isZero() ? "" : Durations.print(s.throttle()),
        s.grouping().by(),
        s.grouping().window().isZero() ? "" : Durations.print(s.grouping().window()));
  }

  /** The request for the alert service, or the form's problems in {@code problems}. */
  SubscriptionRequest toRequest(List<String> problems) {
    if (name.isEmpty()) {
      problems.add("Name: give the subscription a name.");
    }
    if (!TYPES.contains(type)) {
      problems.add("Type: webhook or email.");
    }
    if (!SEVERITIES.contains(minSeverity)) {
      problems.add("Minimum severity: low, medium, high or critical.");
    }
    List<String> recipients = new ArrayList<>(MatcherFields.split(to));
    if ("webhook".equals(type) && url.isEmpty()) {
      problems.add("URL: a webhook needs the receiver's URL.");
    }
    if ("email".equals(type) && recipients.isEmpty()) {
      problems.add("Recipients: an email subscription needs at least one address.");
    }
    if (!secret.isEmpty() && secret.length() < 16) {
      problems.add("Secret: at least 16 characters (or leave it empty to keep or generate one).");
    }
    Duration throttleWindow = duration("Throttle", throttle, problems);
    Duration window = duration("Group window", groupWindow, problems);
    if (!GROUPINGS.contains(groupBy)) {
      problems.add("Grouping: none, rule or all.");
    } else if (!"none".equals(groupBy) && (window.isZero() || window.isNegative())) {
      problems.add("Group window: grouping needs a window, e.g. 1m.");
    }
    var match = new MatcherFields(rules, tags, owners, key).toMatcher(problems);
    boolean webhook = "webhook".equals(type);
    return new SubscriptionRequest(
        name,
        type,
        enabled,
        match,
        minSeverity,
        webhook ? url : "",
        webhook ? secret : "",
        webhook ? List.of() : recipients,
        "none".equals(groupBy) ? Grouping.NONE : new Grouping(groupBy, window),
        throttleWindow);
  }

  private static Duration duration(String label, String text, List<String> problems) {
    if (text.isEmpty()) {
      return Duration.ZERO;
    }
    try {
      Duration d = DurationStyle.detectAndParse(text);
      if (d.isNegative()) {
        problems.add(label + ": must not be negative.");
        return Duration.ZERO;
      }
      return d;
    } catch (IllegalArgumentException e) {
      problems.add(label + ": write a duration such as 30s, 5m or 1h (got \"" + text + "\").");
      return Duration.ZERO;
    }
  }
}
