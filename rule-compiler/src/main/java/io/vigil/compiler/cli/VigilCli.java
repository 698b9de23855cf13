package io.vigil.compiler.cli;

import io.vigil.compiler.rule.Compilation;
import io.vigil.compiler.rule.CompiledRule;
import io.vigil.compiler.sql.Explainer;
import io.vigil.dsl.diagnostic.Diagnostic;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.dsl.limits.Limits;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The {@code vigil} command. This module contributes {@code check} and {@code explain}; other
 * modules add theirs to {@link #commandLine()} (e.g. {@code
 * VigilCli.commandLine().addSubcommand("run", new RunCommand())}) and call {@link #run}.
 *
 * <p>Exit status: 0 on success, 1 when a rule or stream has an error, 2 on a usage error.
 */
@Command(
    name = "vigil",
    mixinStandardHelpOptions = true,
    version = "vigil 0.1.0",
    description = "Vigil: complex-event-processing rules on Apache Flink.",
    subcommands = {VigilCli.Check.class, VigilCli.Explain.class, CommandLine.HelpCommand.class})
public class VigilCli implements Callable<Integer> {

  @Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(commandLine(), args));
  }

  /** A fresh command line with {@code check} and {@code explain}; add subcommands to it. */
  public static CommandLine commandLine() {
    return new CommandLine(new VigilCli());
  }

  /** Runs {@code args} on {@code commandLine} and returns the exit status. */
  public static int run(CommandLine commandLine, String... args) {
    return commandLine.execute(args);
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 2;
  }

  /** Reads and compiles the given files and directories together. */
  abstract static class CompilingCommand implements Callable<Integer> {

    @Parameters(
        arity = "1..*",
        paramLabel = "FILE|DIR",
        description =
            "Rule files, or directories searched for *.vgl and *.drl; all are compiled together"
                + " (DRL rule sets read the streams the .vgl files declare).")
    List<Path> paths;

    @Option(
        names = "--limit",
        paramLabel = "NAME=VALUE",
        description =
            "Raise or lower a size limit of rules (repeatable), e.g. --limit quantifier=1000."
                + " Names: source-bytes, nesting-depth, quantifier, pattern-size, stages, window,"
                + " lateness, string-length, regex-size, errors, fields (docs/language.md, Limits).")
    Map<String, String> limitOverrides = new LinkedHashMap<>();

    @Spec CommandLine.Model.CommandSpec spec;

    /** DRL rule sets that compiled without error. */
    List<io.vigil.compiler.drools.DecisionRuleSet> ruleSets = List.of();

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      Limits limits = Limits.defaults();
      try {
        for (Map.Entry<String, String> o : limitOverrides.entrySet()) {
          limits = limits.with(o.getKey(), o.getValue());
        }
      } catch (IllegalArgumentException e) {
        err.println("vigil: " + e.getMessage());
        err.flush();
        return 2;
      }
      List<SourceFile> sources;
      try {
        sources = RuleFiles.readWithDecisions(paths);
      } catch (UncheckedIOException e) {
        err.println("vigil: " + e.getMessage());
        return 2;
      }
      CheckedSources checked = CheckedSources.compile(sources, limits);
      Compilation compilation = checked.compilation();
      for (Diagnostic d : compilation.diagnostics()) {
        err.print(d.render());
      }
      err.flush();
      this.ruleSets = checked.ruleSets();
      return after(sources, compilation, spec.commandLine().getOut());
    }

    abstract int after(List<SourceFile> sources, Compilation compilation, PrintWriter out);
  }

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = "Check rules: every error with its position; exit status 1 on any error.")
  static final class Check extends CompilingCommand {
    @Override
    int after(List<SourceFile> sources, Compilation compilation, PrintWriter out) {
      long errors = compilation.errors().size();
      long warnings = compilation.diagnostics().size() - errors;
      out.printf(
          "checked %d file%s: %d stream%s, %d rule%s compiled%s, %d error%s, %d warning%s%n",
          sources.size(),
          plural(sources.size()),
          compilation.streams().size(),
          plural(compilation.streams().size()),
          compilation.rules().size(),
          plural(compilation.rules().size()),
          ruleSets.isEmpty()
              ? ""
              : ", %d DRL rule set%s".formatted(ruleSets.size(), plural(ruleSets.size())),
          errors,
          plural(errors),
          warnings,
          plural(warnings));
      out.flush();
      return errors > 0 ? 1 : 0;
    }
  }

  @Command(
      name = "explain",
      mixinStandardHelpOptions = true,
      description =
          "Show each rule's Flink CEP pattern and the equivalent Flink SQL MATCH_RECOGNIZE, if any,"
              + " and what each DRL rule set binds (streams, fact types, globals, rules).")
  static final class Explain extends CompilingCommand {
    @Override
    int after(List<SourceFile> sources, Compilation compilation, PrintWriter out) {
      boolean first = true;
      for (CompiledRule rule : compilation.rules()) {
        if (!first) {
          out.println();
        }
        out.print(Explainer.explain(rule));
        first = false;
      }
      for (io.vigil.compiler.drools.DecisionRuleSet rules : ruleSets) {
        if (!first) {
          out.println();
        }
        out.print(io.vigil.compiler.drools.DecisionExplainer.explain(rules));
        first = false;
      }
      out.flush();
      return compilation.hasErrors() ? 1 : 0;
    }
  }

  private static String plural(long n) {
    return n == 1 ? "" : "s";
  }
}
