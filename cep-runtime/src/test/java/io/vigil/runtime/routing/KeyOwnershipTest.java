package io.vigil.runtime.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

/** A key belongs to exactly one task: the one a {@code keyBy} sends it to. */
class KeyOwnershipTest {

  @Property
  void everyKeyIsTheKeyByTasksAndNoOthers(
      @ForAll String key,
      @ForAll @IntRange(min = 1, max = 8) int parallelism,
      @ForAll @IntRange(min = 0, max = 3) int extraGroups) {
    int maxParallelism = parallelism * 16 + extraGroups;
    int keyBy =
        KeyGroupRangeAssignment.assignKeyToParallelOperator(key, maxParallelism, parallelism);

    assertThat(
            IntStream.range(0, parallelism)
                .filter(i -> new KeyOwnership(maxParallelism, parallelism, i).owns(key)))
        .containsExactly(keyBy);
  }

  @Property
  void oneTaskHasEveryKey(@ForAll String key) {
    assertThat(new KeyOwnership(128, 1, 0).owns(key)).isTrue();
  }

  @Property
  void aTaskOutsideTheParallelismIsRefused(@ForAll @IntRange(min = 1, max = 8) int parallelism) {
    assertThatThrownBy(() -> new KeyOwnership(128, parallelism, parallelism))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no task " + parallelism);
  }
}
