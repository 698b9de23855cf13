package io.vigil.compiler.hostile;

import static org.assertj.core.api.Assertions.fail;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs work on its own thread and fails if it has not finished within a generous bound: a guard
 * against hangs (a hanging test would otherwise stall the build), not a statement about speed: the
 * bound is far above the CPU time of the work (at most about a second) so that a busy shared build
 * machine does not fail it.
 */
public final class Liveness implements AutoCloseable {

  private static final long BOUND_SECONDS = 30;

  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "liveness-guarded");
            t.setDaemon(true);
            return t;
          });

  /** The result of {@code work}; fails the test if it hangs, rethrows what it throws. */
  public <T> T finishes(String what, Callable<T> work) {
    Future<T> future = executor.submit(work);
    try {
      return future.get(BOUND_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      return fail("did not finish within " + BOUND_SECONDS + " s: " + what);
    } catch (ExecutionException e) {
      return fail("threw on " + what, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("interrupted");
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
