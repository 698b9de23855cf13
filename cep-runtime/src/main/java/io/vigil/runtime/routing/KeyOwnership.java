package io.vigil.runtime.routing;

import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

/**
 * The keys of one of several keyed tasks: those of the key groups Flink assigns to it, exactly as a
 * {@code keyBy} sends them. Every key belongs to one task.
 *
 * @param maxParallelism the number of key groups of the tasks
 * @param parallelism the number of tasks
 * @param index this task's index among them
 */
public record KeyOwnership(int maxParallelism, int parallelism, int index) {

  public KeyOwnership {
    if (parallelism < 1 || maxParallelism < parallelism || index < 0 || index >= parallelism) {
      throw new IllegalArgumentException(
          "no task %d of %d with %d key groups".formatted(index, parallelism, maxParallelism));
    }
  }

  /** The ownership of the task {@code task} describes. */
  public static KeyOwnership of(TaskInfo task) {
    return new KeyOwnership(
        task.getMaxNumberOfParallelSubtasks(),
        task.getNumberOfParallelSubtasks(),
        task.getIndexOfThisSubtask());
  }

  /** Whether {@code key} is this task's. */
  public boolean owns(String key) {
    return parallelism == 1
        || KeyGroupRangeAssignment.assignKeyToParallelOperator(key, maxParallelism, parallelism)
            == index;
  }
}
