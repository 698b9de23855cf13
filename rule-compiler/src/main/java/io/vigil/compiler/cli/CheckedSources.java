package io.vigil.compiler.cli;

import io.vigil.compiler.drools.AlertReads;
import io.vigil.compiler.drools.DecisionCompilation;
import io.vigil.compiler.drools.DecisionCompiler;
import io.vigil.compiler.drools.DecisionRuleSet;
import io.vigil.compiler.rule.Compilation;
import io.vigil.compiler.rule.RuleCompiler;
import io.vigil.dsl.diagnostic.Diagnostic;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.dsl.limits.Limits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pattern-language files and DRL rule sets compiled together, as every command that takes rule
 * files does ({@code check}, {@code explain}, {@code run}, {@code deploy}): the {@code .vgl} files
 * first, then each {@code .drl} against the streams they declare.
 *
 * @param compilation the streams and pattern rules, with the diagnostics of every file
 * @param ruleSets the DRL rule sets that compiled, in file order
 */
public record CheckedSources(Compilation compilation, List<DecisionRuleSet> ruleSets) {

  public CheckedSources {
    ruleSets = List.copyOf(ruleSets);
  }

  public static CheckedSources compile(List<SourceFile> sources, Limits limits) {
    List<SourceFile> patternSources =
        sources.stream().filter(s -> !DecisionCompiler.isDrl(s.name())).toList();
    Compilation patterns = RuleCompiler.compile(patternSources, Map.of(), limits);
    List<Diagnostic> diagnostics = new ArrayList<>(patterns.diagnostics());
    List<DecisionRuleSet> ruleSets = new ArrayList<>();
    Map<String, SourceFile> drlById = new LinkedHashMap<>();
    for (SourceFile drl : sources) {
      if (DecisionCompiler.isDrl(drl.name())) {
        String file = drl.name().substring(drl.name().lastIndexOf('/') + 1);
        drlById.put(file.substring(0, file.length() - ".drl".length()), drl);
        DecisionCompilation decisions = DecisionCompiler.compile(drl, patterns.streams());
        diagnostics.addAll(decisions.diagnostics());
        decisions.ruleSet().ifPresent(ruleSets::add);
      }
    }
    // Which rule sets read which one's alerts is only known across the files.
    diagnostics.addAll(AlertReads.check(drlById));
    return new CheckedSources(
        new Compilation(patterns.streams(), patterns.rules(), diagnostics), ruleSets);
  }

  public static CheckedSources compile(List<SourceFile> sources) {
    return compile(sources, Limits.defaults());
  }

  public boolean hasErrors() {
    return compilation.hasErrors();
  }

  /** Pattern rules and DRL rule sets. */
  public int ruleCount() {
    return compilation.rules().size() + ruleSets.size();
  }
}
