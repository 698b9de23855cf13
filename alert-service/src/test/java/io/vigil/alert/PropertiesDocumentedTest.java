package io.vigil.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.testing.docs.PropertyDocs;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The property tables of the alert service's pages are its declared options: every {@code vigil.*}
 * option is documented with its default, and nothing documented is missing from the code.
 */
class PropertiesDocumentedTest {

  @Test
  void everyOptionIsDocumentedWithItsDefault() {
    assertThat(
            PropertyDocs.differences(
                "io.vigil.alert",
                "vigil.",
                List.of(PropertyDocs.page("alerts.md"), PropertyDocs.page("archive.md"))))
        .isEmpty();
  }
}
