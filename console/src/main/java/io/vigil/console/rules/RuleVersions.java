package io.vigil.console.rules;

import io.vigil.console.audit.AuditLog;
import io.vigil.console.store.RedisJson;
import io.vigil.console.store.Version;
import io.vigil.console.store.VersionedItems;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** Every saved version of every rule (drafts included), each save audited. */
@Component
public class RuleVersions {

  private final VersionedItems items;
  private final AuditLog audit;

  public RuleVersions(RedisJson store, Clock clock, AuditLog audit) {
    this.items = new VersionedItems(store, "rule", clock);
    this.audit = audit;
  }

  public List<String> ids() {
    return items.ids();
  }

  public boolean exists(String id) {
    return items.exists(id);
  }

  public List<Version> versions(String id) {
    return items.versions(id);
  }

  public List<Version> newestFirst(String id) {
    return items.newestFirst(id);
  }

  public Optional<Version> version(String id, int number) {
    return items.version(id, number);
  }

  public Optional<Version> latest(String id) {
    return items.latest(id);
  }

  public Version save(String id, String source, String author, String comment) {
    String before = items.latest(id).map(Version::source).orElse("");
    Version saved = items.save(id, source, author, comment);
    audit.record(author, "save v" + saved.number(), id, before, source);
    return saved;
  }

  public void delete(String id, String actor) {
    String before = items.latest(id).map(Version::source).orElse("");
    items.delete(id);
    audit.record(actor, "delete drafts", id, before, "");
  }
}
