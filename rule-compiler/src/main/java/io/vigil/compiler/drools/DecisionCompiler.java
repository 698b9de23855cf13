package io.vigil.compiler.drools;

import io.vigil.dsl.diagnostic.Diagnostic;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.dsl.schema.StreamSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kie.api.builder.Message;

/**
 * Compiles a DRL rule set against the declared streams: reads its binding ({@link DecisionHeader}),
 * appends the fact declarations and the {@code alerts} global ({@link DecisionFacts}), builds it
 * with Drools and turns Drools' messages into diagnostics at the author's line and column ({@link
 * DroolsMessages}).
 */
public final class DecisionCompiler {

  /** The DRL package of a rule set without a {@code package} statement. */
  static final String DEFAULT_PACKAGE = "defaultpkg";

  private static final Pattern PACKAGE =
      Pattern.compile("^\\s*package\\s+([A-Za-z_][A-Za-z0-9_.]*)\\s*;?\\s*$", Pattern.MULTILINE);

  private DecisionCompiler() {}

  /** Whether {@code name} is a DRL file by its name. */
  public static boolean isDrl(String name) {
    return name.endsWith(".drl");
  }

  /**
   * Compiles {@code source}; never throws on any text.
   *
   * @param streams the declared streams (those of the .vgl files checked with it, or of the job)
   */
  public static DecisionCompilation compile(SourceFile source, Map<String, StreamSchema> streams) {
    return compile(source, streams, DecisionLimits.defaults());
  }

  /** As {@link #compile(SourceFile, Map)}, the rule set evaluating within {@code limits}. */
  public static DecisionCompilation compile(
      SourceFile source, Map<String, StreamSchema> streams, DecisionLimits limits) {
    List<Diagnostic> diagnostics = new ArrayList<>();
    DecisionHeader header = DecisionHeader.read(source, streams, diagnostics);
    if (diagnostics.isEmpty() && !header.stateful()) {
      TemporalOperators.inStatelessRuleSet(source).ifPresent(diagnostics::add);
    }
    if (!diagnostics.isEmpty()) {
      return new DecisionCompilation(Optional.empty(), diagnostics);
    }
    Map<String, StreamSchema> read = new LinkedHashMap<>();
    header.streams().forEach(s -> read.put(s, streams.get(s)));
    String drl = source.text() + DecisionFacts.declarations(header, read);
    String packageName = packageOf(source.text());
    KieBaseBuild build;
    try {
      build = KieBaseBuild.of(drl, packageName, header.stateful());
    } catch (RuntimeException e) {
      diagnostics.add(DroolsMessages.failure(source, e));
      return new DecisionCompilation(Optional.empty(), diagnostics);
    }
    DroolsMessages messages = new DroolsMessages(source, header, streams);
    for (Message message :
        build.results().getMessages(Message.Level.ERROR, Message.Level.WARNING)) {
      messages.toDiagnostic(message).ifPresent(diagnostics::add);
    }
    if (build.kieBase().isEmpty()) {
      if (diagnostics.stream().noneMatch(Diagnostic::isError)) {
        diagnostics.add(DroolsMessages.failure(source, new IllegalStateException("build failed")));
      }
      return new DecisionCompilation(Optional.empty(), diagnostics);
    }
    try {
      return new DecisionCompilation(
          Optional.of(
              new DecisionRuleSet(
                  source.name(), packageName, header, read, build.kieBase().get(), limits)),
          diagnostics);
    } catch (RuntimeException e) {
      diagnostics.add(DroolsMessages.failure(source, e));
      return new DecisionCompilation(Optional.empty(), diagnostics);
    }
  }

  static String packageOf(String drl) {
    Matcher m = PACKAGE.matcher(drl);
    return m.find() ? m.group(1) : DEFAULT_PACKAGE;
  }
}
