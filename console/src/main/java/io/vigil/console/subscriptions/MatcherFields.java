package io.vigil.console.subscriptions;

import io.vigil.console.alertservice.Matcher;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The text fields a form uses for a {@link Matcher}: comma-separated rule ids, tags and owners, and
 * the key as {@code field=value, field=value}. Shared by the subscription and silence forms.
 */
public record MatcherFields(String rules, String tags, String owners, String key) {

  public MatcherFields {
    rules = rules == null ? "" : rules.trim();
    tags = tags == null ? "" : tags.trim();
    owners = owners == null ? "" : owners.trim();
    key = key == null ? "" : key.trim();
  }

  public static MatcherFields of(Matcher match) {
    return new MatcherFields(
        String.join(", ", match.ruleIds()),
        String.join(", ", match.tags()),
        String.join(", ", match.owners()),
        match.keyText());
  }

  /** The matcher, or the problems of the fields (added to {@code problems}). */
  public Matcher toMatcher(List<String> problems) {
    Map<String, String> pairs = new LinkedHashMap<>();
    for (String pair : split(key)) {
      int eq = pair.indexOf('=');
      if (eq <= 0 || eq == pair.length() - 1) {
        problems.add(
            "Key: write each part as field=value, separated by commas (got \"" + pair + "\").");
      } else {
        pairs.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
      }
    }
    return new Matcher(split(rules), split(tags), split(owners), pairs);
  }

  static Set<String> split(String text) {
    return Arrays.stream(text.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
