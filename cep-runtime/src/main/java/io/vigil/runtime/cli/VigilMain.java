package io.vigil.runtime.cli;

import io.vigil.compiler.cli.VigilCli;
import picocli.CommandLine;

/**
 * The main class of {@code vigil.jar}: the rule compiler's {@code vigil} command ({@code check},
 * {@code explain}) plus this module's {@code run} and {@code job}.
 */
public final class VigilMain {

  private VigilMain() {}

  public static CommandLine commandLine() {
    return VigilCli.commandLine()
        .addSubcommand("run", new RunCommand())
        .addSubcommand("job", new JobCommand());
  }

  public static void main(String[] args) {
    System.exit(VigilCli.run(commandLine(), args));
  }
}
