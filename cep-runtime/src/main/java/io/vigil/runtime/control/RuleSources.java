package io.vigil.runtime.control;

import io.vigil.dsl.ast.Declaration;
import io.vigil.dsl.ast.StreamDecl;
import io.vigil.dsl.diagnostic.Diagnostic;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.dsl.syntax.SourceParser;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Rule files as control commands, and the pattern fingerprint of a rule's source.
 *
 * <p>A {@code .vgl} file may hold any number of declarations; the control topic carries one per
 * record (key = rule id or {@code stream:<name>}). Each declaration's exact source text comes from
 * the rule language's own parser, so nothing is reformatted.
 */
public final class RuleSources {

  private RuleSources() {}

  /** Thrown for a file that does not parse (the checker reports the details). */
  public static final class SyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    public SyntaxException(String message) {
      super(message);
    }
  }

  private static final String DRL_SUFFIX = ".drl";

  /**
   * The rule id of a DRL rule set: its file name without the directory and {@code .drl} ({@code
   * samples/drools/fraud_risk_banding.drl} is {@code fraud_risk_banding}).
   */
  public static String drlRuleId(String fileName) {
    String name = java.nio.file.Path.of(fileName).getFileName().toString();
    return name.substring(0, name.length() - DRL_SUFFIX.length());
  }

  /**
   * Every declaration of {@code files} as a command: stream declarations first (rules need them),
   * then rules in file order, all with {@code version} and active from the first event. A {@code
   * .drl} file is one DRL rule set ({@link #drlRuleId}).
   */
  public static List<RuleCommand> commands(List<SourceFile> files, long version)
      throws SyntaxException {
    List<RuleCommand> streams = new ArrayList<>();
    List<RuleCommand> rules = new ArrayList<>();
    for (SourceFile file : files) {
      if (file.name().endsWith(DRL_SUFFIX)) {
        rules.add(
            new RuleCommand.UpsertRule(
                drlRuleId(file.name()),
                version,
                file.text(),
                Long.MIN_VALUE,
                false,
                RuleCommand.Language.DRL));
        continue;
      }
      for (Declaration declaration : parse(file)) {
        if (declaration instanceof StreamDecl s) {
          streams.add(new RuleCommand.DeclareStream(s.name().text(), version, s.text()));
        } else {
          rules.add(
              new RuleCommand.UpsertRule(
                  declaration.name().text(), version, declaration.text(), Long.MIN_VALUE, false));
        }
      }
    }
    streams.addAll(rules);
    return streams;
  }

  private static List<Declaration> parse(SourceFile file) throws SyntaxException {
    SourceParser.Result parsed = SourceParser.parse(file);
    if (!parsed.diagnostics().isEmpty()) {
      throw new SyntaxException(
          parsed.diagnostics().stream()
              .map(Diagnostic::headline)
              .collect(Collectors.joining("\n")));
    }
    return parsed.declarations();
  }
}
