package io.vigil.alert.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.alert.ServiceTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/** Without {@code vigil.archive.jdbc-url} the service runs as before: no database, no endpoint. */
class ArchiveOffTest extends ServiceTestSupport {
  @Autowired ApplicationContext context;

  @Test
  void withoutAJdbcUrlTheServiceHasNoArchiveAndTheQueryIsNotFound() {
    assertThat(context.getBeansOfType(ArchiveStore.class)).isEmpty();
    assertThat(context.getBeansOfType(ArchiveIntake.class)).isEmpty();
    assertThat(api("GET", "/api/archive/alerts", null).status()).isEqualTo(404);
  }
}
