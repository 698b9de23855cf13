package io.vigil.testing.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.testing.samples.SampleFiles.RuleFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleFilesTest {

  @Test
  void aModuleFindsTheRepositorysSamplesFolderAboveIt() {
    Path dir = SampleFiles.dir();

    assertThat(dir).isEqualTo(Path.of("..", "samples"));
    assertThat(SampleFiles.resolve(SampleFiles.STREAMS)).isRegularFile();
  }

  @Test
  void theRuleFilesAreTheStreamsAndRulePacksNamedUnderTheFolderInPathOrder() {
    List<RuleFile> files = SampleFiles.ruleFiles();

    assertThat(files)
        .extracting(RuleFile::name)
        .contains(SampleFiles.STREAMS, Path.of("fraud", "card_testing.vgl").toString())
        .allMatch(name -> name.endsWith(".vgl"))
        .isSorted();
    assertThat(files).allMatch(f -> !f.text().isBlank());
  }

  @Test
  void theFolderIsFoundInTheStartDirectoryOrTheNearestOneAbove(@TempDir Path repo)
      throws IOException {
    Files.createDirectories(repo.resolve("samples"));
    Files.writeString(repo.resolve("samples").resolve(SampleFiles.STREAMS), "stream s ()");
    Path module = Files.createDirectories(repo.resolve("module").resolve("sub"));

    assertThat(SampleFiles.locate(repo)).isEqualTo(repo.resolve("samples"));
    assertThat(SampleFiles.locate(module).toAbsolutePath().normalize())
        .isEqualTo(repo.resolve("samples").toAbsolutePath().normalize());
  }

  @Test
  void withoutASamplesFolderTheErrorSaysWhereItWasLookedFor(@TempDir Path empty) {
    assertThatThrownBy(() -> SampleFiles.locate(empty))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no samples/streams.vgl in " + empty.toAbsolutePath());
  }
}
