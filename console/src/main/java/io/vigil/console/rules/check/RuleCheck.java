package io.vigil.console.rules.check;

import io.vigil.compiler.drools.DecisionCompilation;
import io.vigil.compiler.drools.DecisionCompiler;
import io.vigil.compiler.drools.DecisionExplainer;
import io.vigil.compiler.rule.Compilation;
import io.vigil.compiler.rule.CompiledRule;
import io.vigil.compiler.rule.RuleCompiler;
import io.vigil.compiler.sql.Explainer;
import io.vigil.console.streams.StreamDeclarations;
import io.vigil.dsl.ast.Declaration;
import io.vigil.dsl.ast.RuleDecl;
import io.vigil.dsl.diagnostic.Diagnostic;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.dsl.diagnostic.Span;
import io.vigil.dsl.syntax.SourceParser;
import io.vigil.runtime.control.RuleCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * {@code vigil check} and {@code vigil explain} for the editor: one rule's source compiled with the
 * stored stream declarations, by the same compiler and renderer as the command line.
 */
@Component
public class RuleCheck {

  /** The file name the rule's diagnostics carry. */
  public static final String FILE_NAME = "rule.vgl";

  private static final java.util.regex.Pattern DRL_DIRECTIVE =
      java.util.regex.Pattern.compile("(?m)^\\s*//\\s*vigil:\\s*streams\\b");

  private final StreamDeclarations streams;

  public RuleCheck(StreamDeclarations streams) {
    this.streams = streams;
  }

  /** The file name a DRL rule set's diagnostics carry. */
  public static final String DRL_FILE_NAME = "rule.drl";

  /** Whether {@code source} is a DRL rule set: it names its streams in a directive. */
  public static boolean isDecisionRuleSet(String source) {
    return DRL_DIRECTIVE.matcher(source).find();
  }

  /**
   * The source as a file of the runtime's command model ({@code RuleSources}): a DRL rule set is
   * {@code <ruleId>.drl}, whose name gives its id as {@code vigil deploy} takes it from the file
   * name; a pattern rule names itself.
   */
  public static SourceFile runtimeFile(String ruleId, String source) {
    return isDecisionRuleSet(source)
        ? new SourceFile(ruleId + ".drl", source)
        : new SourceFile(FILE_NAME, source);
  }

  /** The language the control topic carries {@code source} in. */
  public static RuleCommand.Language languageOf(String source) {
    return isDecisionRuleSet(source) ? RuleCommand.Language.DRL : RuleCommand.Language.VGL;
  }

  public CheckReport check(String source) {
    if (isDecisionRuleSet(source)) {
      return checkDecisions(source);
    }
    SourceFile file = new SourceFile(FILE_NAME, source);
    List<Diagnostic> diagnostics = new ArrayList<>();
    List<RuleDecl> declared = new ArrayList<>();
    for (Declaration d : SourceParser.parse(file).declarations()) {
      if (d instanceof RuleDecl r) {
        declared.add(r);
      } else {
        diagnostics.add(
            Diagnostic.error(
                file,
                d.name().span(),
                "a stream is declared on the Streams page, not beside a rule",
                "move `stream " + d.name().text() + "` to the Streams page"));
      }
    }
    if (declared.size() > 1) {
      diagnostics.add(
          Diagnostic.error(
              file,
              declared.get(1).name().span(),
              "one rule per source: this is a second rule",
              "save `" + declared.get(1).name().text() + "` as a rule of its own"));
    }
    Compilation compilation = RuleCompiler.compile(List.of(streams.sources(), file));
    compilation.diagnostics().stream()
        .filter(d -> d.source().name().equals(FILE_NAME))
        .forEach(diagnostics::add);
    if (declared.isEmpty() && compilation.diagnostics().stream().noneMatch(Diagnostic::isError)) {
      diagnostics.add(
          Diagnostic.error(
              file, Span.at(1, 1), "no rule here", "start with `rule <name>` and a pattern"));
    }
    Optional<String> id = declared.stream().findFirst().map(r -> r.name().text());
    boolean clean = diagnostics.stream().noneMatch(Diagnostic::isError);
    Optional<CompiledRule> rule =
        clean ? id.flatMap(compilation::rule) : Optional.<CompiledRule>empty();
    diagnostics.sort(
        java.util.Comparator.comparingInt((Diagnostic d) -> d.span().line())
            .thenComparingInt(d -> d.span().column()));
    return new CheckReport(
        id, diagnostics.stream().map(Finding::of).toList(), rule, rule.map(Explainer::explain));
  }

  /**
   * A DRL rule set (a source with a {@code // vigil: streams} line), as {@code vigil check} and
   * {@code vigil explain} see it.
   */
  private CheckReport checkDecisions(String source) {
    DecisionCompilation compilation =
        DecisionCompiler.compile(new SourceFile(DRL_FILE_NAME, source), streams.schemas());
    return new CheckReport(
        Optional.empty(),
        compilation.diagnostics().stream().map(Finding::of).toList(),
        Optional.empty(),
        compilation.ruleSet().map(DecisionExplainer::explain),
        compilation.hasErrors() ? Optional.empty() : compilation.ruleSet());
  }
}
