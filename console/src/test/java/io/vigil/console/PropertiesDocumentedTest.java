package io.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.testing.docs.PropertyDocs;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The configuration table of {@code docs/console.md} is the console's declared options: every
 * {@code vigil.console.*} option is documented with its default, and nothing documented is missing
 * from the code.
 */
class PropertiesDocumentedTest {

  @Test
  void everyOptionIsDocumentedWithItsDefault() {
    assertThat(
            PropertyDocs.differences(
                "io.vigil.console", "vigil.console.", List.of(PropertyDocs.page("console.md"))))
        .isEmpty();
  }
}
