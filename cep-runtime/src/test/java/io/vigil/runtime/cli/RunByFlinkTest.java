package io.vigil.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.junit.jupiter.api.Test;

/**
 * The CLI tells whether Flink runs it (a context environment is set, as under {@code flink run} or
 * on a test cluster) without creating an environment; on its own it embeds a cluster.
 */
class RunByFlinkTest {

  @Test
  void withoutAContextEnvironmentTheCommandRunsOnItsOwn() {
    assertThat(VigilMain.runByFlink()).isFalse();
  }

  @Test
  void underAContextEnvironmentFlinkRunsTheCommand() {
    // The factory is only called when an environment is asked for, which this check never does.
    TestStreamEnvironment.setAsContext(null, 1);
    try {
      assertThat(VigilMain.runByFlink()).isTrue();
    } finally {
      TestStreamEnvironment.unsetAsContext();
    }
    assertThat(VigilMain.runByFlink()).isFalse();
  }
}
