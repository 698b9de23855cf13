package io.vigil.compiler;

import io.vigil.compiler.cli.RuleFiles;
import io.vigil.compiler.rule.Compilation;
import io.vigil.compiler.rule.CompiledRule;
import io.vigil.compiler.rule.RuleCompiler;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.testing.samples.SampleFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The sample streams and rules of the repository (samples/), compiled. */
public final class Samples {

  private Samples() {}

  public static final Path ROOT = SampleFiles.dir();

  public static List<SourceFile> sources() {
    return RuleFiles.read(List.of(ROOT));
  }

  public static Compilation compile() {
    return RuleCompiler.compile(sources());
  }

  public static CompiledRule rule(String id) {
    Compilation c = compile();
    if (c.hasErrors()) {
      throw new AssertionError(c.render());
    }
    return c.rule(id).orElseThrow(() -> new AssertionError("no sample rule " + id));
  }

  /** Compiles {@code ruleText} against the sample streams. */
  public static Compilation compileWithSampleStreams(String ruleText) {
    List<SourceFile> sources = new ArrayList<>();
    sources.add(RuleFiles.read(List.of(ROOT.resolve("streams.vgl"))).get(0));
    sources.add(new SourceFile("test.vgl", ruleText));
    return RuleCompiler.compile(sources, Map.of());
  }

  /** Compiles one rule against the sample streams; fails the test on any diagnostic. */
  public static CompiledRule compileRule(String ruleText) {
    Compilation c = compileWithSampleStreams(ruleText);
    if (c.hasErrors() || c.rules().size() != 1) {
      throw new AssertionError("expected one rule, got:\n" + c.render());
    }
    return c.rules().get(0);
  }
}
