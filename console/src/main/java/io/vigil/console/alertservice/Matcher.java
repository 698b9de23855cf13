package io.vigil.console.alertservice;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which alerts a subscription or silence is about, as the alert service's API writes it: each
 * non-empty dimension must match, any value within one; an empty dimension matches everything.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Matcher(
    Set<String> ruleIds, Set<String> tags, Set<String> owners, Map<String, String> key) {

  public Matcher {
    ruleIds = ruleIds == null ? Set.of() : new TreeSet<>(ruleIds);
    tags = tags == null ? Set.of() : new TreeSet<>(tags);
    owners = owners == null ? Set.of() : new TreeSet<>(owners);
    key = key == null ? Map.of() : new TreeMap<>(key);
  }

  public boolean isEmpty() {
    return ruleIds.isEmpty() && tags.isEmpty() && owners.isEmpty() && key.isEmpty();
  }

  /** One line for a table cell, e.g. {@code rule card_testing · tag fraud · key cardId=c-1}. */
  public String describe() {
    StringBuilder out = new StringBuilder();
    part(out, "rule", String.join(", ", ruleIds));
    part(out, "tag", String.join(", ", tags));
    part(out, "owner", String.join(", ", owners));
    part(out, "key", keyText());
    return out.isEmpty() ? "every alert" : out.toString();
  }

  public String keyText() {
    return String.join(
        ", ", key.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
  }

  private static void part(StringBuilder out, String label, String values) {
    if (!values.isEmpty()) {
      out.append(out.isEmpty() ? "" : " · ").append(label).append(' ').append(values);
    }
  }
}
