package io.vigil.testing.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PropertyDocsTest {
  private static final String PACKAGE = "io.vigil.testing.docs.sample";

  @TempDir Path dir;

  @Test
  void aPageListingEveryOptionWithItsDefaultAgrees() throws IOException {
    Path page =
        page(
            """
            | option | default | meaning |
            | --- | --- | --- |
            | `vigil.sample.poll-interval` / `workers` | 10s / `4` | |
            | `vigil.sample.allowed-hosts` | empty | |
            | `vigil.sample.token` (`VIGIL_SAMPLE_TOKEN`) | **none: required** | |
            | `vigil.sample.keys.<id>` | none | |
            | `vigil.sample.nested.export-interval` | 5m | |
            | `vigil.sample.users[i].username` | (required) | |
            | `vigil.other.*` | | see another page |
            """);

    assertThat(PropertyDocs.differences(PACKAGE, "vigil.", List.of(page))).isEmpty();
  }

  @Test
  void aMissingOptionAWrongDefaultAndAnUnknownOptionAreEachReported() throws IOException {
    Path page =
        page(
            """
            | `vigil.sample.poll-interval` / `workers` | 10s / 8 | |
            | `vigil.sample.allowed-hosts` | empty | |
            | `vigil.sample.token` | none | |
            | `vigil.sample.keys.<id>` | none | |
            | `vigil.sample.nested.export-interval` | 5m | |
            | `vigil.sample.retired-option` | 1 | |
            """);

    assertThat(PropertyDocs.differences(PACKAGE, "vigil.", List.of(page)))
        .containsExactlyInAnyOrder(
            "vigil.sample.workers is documented with default '8' but is '4'",
            "vigil.sample.users[i].username is declared but not documented in [" + page + "]",
            "vigil.sample.retired-option is documented but not declared");
  }

  private Path page(String text) throws IOException {
    Path page = dir.resolve("page.md");
    Files.writeString(page, text);
    return page;
  }
}
