package io.vigil.compiler.rule;

import io.vigil.dsl.check.CheckResult;
import io.vigil.dsl.check.CheckedRule;
import io.vigil.dsl.check.Checker;
import io.vigil.dsl.diagnostic.Diagnostic;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.dsl.limits.Limits;
import io.vigil.dsl.schema.StreamSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles rule sources to {@link CompiledRule}s: the checker ({@link Checker}) resolves names and
 * types, then each rule becomes a Flink pattern with compiled conditions. Every rule's pattern and
 * NFA are built once here, so that a structure Flink refuses is reported as a diagnostic now and
 * never surfaces as a {@code MalformedPatternException} at run time.
 */
public final class RuleCompiler {

  private RuleCompiler() {}

  /** Checks and compiles {@code sources} together (streams in one file serve rules in another). */
  public static Compilation compile(List<SourceFile> sources) {
    return compile(sources, Map.of());
  }

  /** As {@link #compile(List)} with {@code knownStreams} already declared. */
  public static Compilation compile(
      List<SourceFile> sources, Map<String, StreamSchema> knownStreams) {
    return compile(sources, knownStreams, Limits.defaults());
  }

  /**
   * As {@link #compile(List, Map)} within {@code limits}. Never throws on any text: the limits
   * bound the work, and whatever goes wrong becomes a diagnostic.
   */
  public static Compilation compile(
      List<SourceFile> sources, Map<String, StreamSchema> knownStreams, Limits limits) {
    CheckResult checked = Checker.check(sources, knownStreams, limits);
    List<Diagnostic> diagnostics = new ArrayList<>(checked.diagnostics());
    List<CompiledRule> rules = new ArrayList<>();
    for (CheckedRule rule : checked.program().rules()) {
      try {
        rules.add(compile(rule, limits));
      } catch (RuleCompilationException e) {
        diagnostics.add(e.diagnostic());
      }
    }
    Map<String, StreamSchema> streams = new LinkedHashMap<>(knownStreams);
    streams.putAll(checked.program().streams());
    return new Compilation(streams, rules, diagnostics);
  }

  /**
   * Compiles one checked rule.
   *
   * @throws RuleCompilationException when Flink refuses the pattern's structure
   */
  public static CompiledRule compile(CheckedRule rule) {
    return compile(rule, Limits.defaults());
  }

  /**
   * As {@link #compile(CheckedRule)} for a rule checked within {@code limits}: the rule carries
   * them, so that reading a serialized copy back checks it within the same limits.
   */
  public static CompiledRule compile(CheckedRule rule, Limits limits) {
    CompiledRule compiled;
    try {
      compiled = new CompiledRule(rule, limits);
      // Building the NFA runs every structural check Flink has (names, skip target, windows,
      // notFollowedBy at the end, greedy/optional placement...).
      compiled.nfaFactory(true).createNFA();
    } catch (StackOverflowError e) {
      // The checker's limits bound nesting; a last resort should compiling still recurse too
      // deeply (e.g. on a thread with a small stack).
      throw new RuleCompilationException(
          Diagnostic.error(
              rule.declaration().source(),
              rule.declaration().name().span(),
              "rule " + rule.id() + " is nested too deeply to compile",
              "simplify deeply nested conditions or groups"),
          e);
    } catch (RuntimeException e) {
      String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      // Point at the clause Flink complains about when the message names it; else at the rule.
      io.vigil.dsl.diagnostic.Span where = rule.declaration().name().span();
      if (reason.contains("between the previous and current event")
          && rule.declaration().maxGap().isPresent()) {
        where = rule.declaration().maxGap().get().span();
      }
      throw new RuleCompilationException(
          Diagnostic.error(
              rule.declaration().source(),
              where,
              "Flink CEP refuses the pattern of rule " + rule.id() + ": " + reason,
              "this is a limit of Flink CEP the checker does not know yet; please report it"),
          e);
    }
    return compiled;
  }

  /** Recompiles rule {@code ruleId} of {@code source} (deserialization of a compiled rule). */
  static CompiledRule recompile(
      SourceFile source, String ruleId, List<StreamSchema> streams, Limits limits) {
    // The serialized schemas stand in for the streams declared elsewhere; a stream the source
    // declares itself replaces them (Checker's rule for known streams).
    Map<String, StreamSchema> known = new LinkedHashMap<>();
    streams.forEach(s -> known.put(s.name(), s));
    Compilation compilation = compile(List.of(source), known, limits);
    CompiledRule rule =
        compilation
            .rule(ruleId)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "rule " + ruleId + " no longer compiles:\n" + compilation.render()));
    if (!rule.schemas().equals(streams)) {
      throw new IllegalStateException("rule " + ruleId + " now reads different stream schemas");
    }
    return rule;
  }
}
