package io.vigil.console.streams;

import io.vigil.compiler.rule.RuleCompiler;
import io.vigil.console.audit.AuditLog;
import io.vigil.console.store.RedisJson;
import io.vigil.console.store.Version;
import io.vigil.console.store.VersionedItems;
import io.vigil.dsl.diagnostic.Diagnostic;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.dsl.schema.StreamSchema;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The stream declarations rules are checked against: versioned like rules, one declaration per
 * stream ({@code stream <name> ...}).
 */
@Component
public class StreamDeclarations {

  /** The file name stream diagnostics carry. */
  public static final String FILE_NAME = "streams.vgl";

  private final VersionedItems items;
  private final AuditLog audit;

  public StreamDeclarations(RedisJson store, Clock clock, AuditLog audit) {
    this.items = new VersionedItems(store, "stream", clock);
    this.audit = audit;
  }

  public List<String> names() {
    return items.ids();
  }

  public List<Version> versions(String name) {
    return items.versions(name);
  }

  public List<Version> newestFirst(String name) {
    return items.newestFirst(name);
  }

  public Optional<Version> latest(String name) {
    return items.latest(name);
  }

  /** The latest declaration of every stream, as one source file. */
  public SourceFile sources() {
    StringBuilder text = new StringBuilder();
    for (String name : names()) {
      items.latest(name).ifPresent(v -> text.append(v.source().strip()).append("\n\n"));
    }
    return new SourceFile(FILE_NAME, text.toString());
  }

  /** The schemas of the streams that check; errors of the others in {@link #problems()}. */
  public Map<String, StreamSchema> schemas() {
    return RuleCompiler.compile(List.of(sources())).streams();
  }

  public List<Diagnostic> problems() {
    return RuleCompiler.compile(List.of(sources())).errors();
  }

  /**
   * Stores a new version of {@code name}'s declaration when it checks on its own.
   *
   * @return the diagnostics that prevented saving; empty when saved
   */
  public List<Diagnostic> save(String name, String source, String author, String comment) {
    SourceFile file = new SourceFile(name + ".vgl", source);
    var compilation = RuleCompiler.compile(List.of(file));
    List<Diagnostic> problems = new ArrayList<>(compilation.errors());
    if (problems.isEmpty()
        && (compilation.streams().size() != 1 || !compilation.streams().containsKey(name))) {
      problems.add(
          Diagnostic.error(
              file,
              io.vigil.dsl.diagnostic.Span.at(1, 1),
              "the source must declare exactly one stream, named " + name,
              "write `stream " + name + "` followed by its time, lateness and fields"));
    }
    if (!problems.isEmpty()) {
      return problems;
    }
    String before = items.latest(name).map(Version::source).orElse("");
    Version saved = items.save(name, source, author, comment);
    audit.record(author, "save stream v" + saved.number(), "stream:" + name, before, source);
    return List.of();
  }
}
