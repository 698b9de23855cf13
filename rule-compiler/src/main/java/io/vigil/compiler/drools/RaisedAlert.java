package io.vigil.compiler.drools;

import io.vigil.dsl.check.Severity;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An alert a DRL consequence raises with {@code alerts.raise("title")}, refined by chained calls:
 *
 * <pre>{@code
 * alerts.raise("High-risk payment")
 *     .severity("high")
 *     .message("Card " + $p.getCardId() + " paid " + $p.getAmount())
 *     .tags("fraud", "risk")
 *     .owner("fraud-team")
 *     .key("band:high");
 * }</pre>
 *
 * Defaults: severity {@code medium}, message = title, no tags, no owner, key = empty. The key tells
 * apart several alerts that one rule raises for one event: it enters the alert's id.
 */
public final class RaisedAlert {

  private final String rule;
  private final String title;
  private String severity = Severity.MEDIUM.keyword();
  private String message;
  private List<String> tags = List.of();
  private Optional<String> owner = Optional.empty();
  private String key = "";
  private final List<String> references = new java.util.ArrayList<>();

  RaisedAlert(String rule, String title) {
    this.rule = rule;
    this.title = requireText(title, "title");
    this.message = title;
  }

  /** One of {@code low}, {@code medium}, {@code high}, {@code critical}. */
  public RaisedAlert severity(String severity) {
    if (severity == null || Severity.ofKeyword(severity).isEmpty()) {
      throw new IllegalArgumentException(
          "severity must be low, medium, high or critical, not '" + severity + "'");
    }
    this.severity = severity;
    return this;
  }

  public RaisedAlert message(String message) {
    this.message = requireText(message, "message");
    return this;
  }

  public RaisedAlert tags(String... tags) {
    for (String tag : tags) {
      requireText(tag, "tag");
    }
    this.tags = List.of(tags);
    return this;
  }

  public RaisedAlert owner(String owner) {
    this.owner = Optional.of(requireText(owner, "owner"));
    return this;
  }

  public RaisedAlert key(String key) {
    this.key = Objects.requireNonNull(key, "key");
    return this;
  }

  /**
   * Marks the alert as a decision about a pattern rule's alert (a {@code PatternAlert} fact): it
   * carries the tag {@code references:<alertId>} of that alert, after its own tags.
   */
  public RaisedAlert references(Object patternAlert) {
    Object id;
    try {
      id = patternAlert.getClass().getMethod("getAlertId").invoke(patternAlert);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalArgumentException(
          "references(...) takes a PatternAlert fact, not " + patternAlert, e);
    }
    references.add("references:" + id);
    return this;
  }

  /** The name of the DRL rule whose consequence raised it. */
  public String rule() {
    return rule;
  }

  public String title() {
    return title;
  }

  public String severityKeyword() {
    return severity;
  }

  public String text() {
    return message;
  }

  public List<String> tagList() {
    if (references.isEmpty()) {
      return tags;
    }
    List<String> all = new java.util.ArrayList<>(tags);
    all.addAll(references);
    return List.copyOf(all);
  }

  public Optional<String> ownerName() {
    return owner;
  }

  public String dedupKey() {
    return key;
  }

  @Override
  public String toString() {
    return rule + "/" + key + ": [" + severity + "] " + title + ": " + message;
  }

  private static String requireText(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("an alert's " + what + " must not be empty");
    }
    return value;
  }
}
