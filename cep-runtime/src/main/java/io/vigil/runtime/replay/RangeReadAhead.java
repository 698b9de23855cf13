package io.vigil.runtime.replay;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * Reads a file's ranges ahead of the task that emits what they give: a thread of its own turns each
 * range, in file order, into its items (routed events, dead letters), and the task takes them range
 * by range as the ranges reach it. At most the {@link Bound}'s batches of items wait between the
 * two.
 *
 * <p>Why: a replay's task matches the events it read at each watermark, and while it does, nothing
 * reads. Ahead of it, on another core, the lines of the next watermark's events are read, decoded
 * and routed in the meantime, and the task only hands them on. The items are the same and in the
 * same order as if the task read each range itself.
 *
 * @param <T> what a range gives
 */
final class RangeReadAhead<T> implements AutoCloseable {

  /** What turns one range into its items, in order. */
  interface RangeReading<T> {
    void read(LineRange range, Consumer<T> out) throws Exception;
  }

  /** How far ahead: at most {@code batches} batches of at most {@code items} items each. */
  record Bound(int batches, int items) implements Serializable {

    Bound {
      if (batches < 1 || items < 1) {
        throw new IllegalArgumentException("read-ahead bound " + batches + " × " + items);
      }
    }

    /** Room for a little more than {@code events}, the events between two watermarks. */
    static Bound beyond(int events) {
      int items = 512;
      return new Bound(Math.max(2, (events + events / 4) / items + 1), items);
    }
  }

  /** What the reading thread hands over: items, the end of a range, or why it stopped. */
  private sealed interface Part<T> {}

  private record Items<T>(List<T> items, boolean endsRange) implements Part<T> {}

  private record Failed<T>(Throwable cause) implements Part<T> {}

  private final List<LineRange> ranges;
  private final RangeReading<T> reading;
  private final Bound bound;
  private final BlockingQueue<Part<T>> handed;
  private final String threadName;
  private volatile Thread thread;
  private int next;
  private volatile boolean closed;

  RangeReadAhead(List<LineRange> ranges, RangeReading<T> reading, Bound bound, String threadName) {
    this.ranges = List.copyOf(ranges);
    this.reading = reading;
    this.bound = bound;
    this.handed = new ArrayBlockingQueue<>(bound.batches());
    this.threadName = threadName;
  }

  /**
   * Gives {@code out} the items of {@code range}, which must be the next of the ranges in order;
   * waits for the reading thread where it is not ahead. A failure of the reading is thrown here.
   */
  void take(LineRange range, Consumer<T> out) throws Exception {
    if (next >= ranges.size() || !ranges.get(next).equals(range)) {
      throw new IllegalStateException(
          "range "
              + range
              + " out of order: the next to read is "
              + (next < ranges.size() ? ranges.get(next) : "none"));
    }
    if (thread == null) {
      start();
    }
    while (true) {
      Part<T> part = handed.take();
      if (part instanceof Items<T> items) {
        items.items().forEach(out);
        if (items.endsRange()) {
          next++;
          return;
        }
      } else if (part instanceof Failed<T> failed) {
        closed = true;
        if (failed.cause() instanceof Error e) {
          throw e;
        }
        throw (Exception) failed.cause();
      }
    }
  }

  private void start() {
    thread = new Thread(this::readAll, threadName);
    thread.setDaemon(true);
    thread.setContextClassLoader(Thread.currentThread().getContextClassLoader());
    thread.start();
  }

  private void readAll() {
    try {
      for (LineRange range : ranges) {
        Batching batching = new Batching();
        reading.read(range, batching);
        batching.hand(true);
      }
    } catch (InterruptedException | Stopped e) {
      // closed: nobody takes what would follow
    } catch (Throwable t) {
      try {
        if (!closed) {
          handed.put(new Failed<>(t));
        }
      } catch (InterruptedException e) {
        // closed meanwhile
      }
    }
  }

  /** Gathers a range's items into batches and hands each over, waiting while the bound is full. */
  private final class Batching implements Consumer<T> {
    private List<T> batch = new ArrayList<>(bound.items());

    @Override
    public void accept(T item) {
      batch.add(item);
      if (batch.size() == bound.items()) {
        hand(false);
      }
    }

    void hand(boolean endsRange) {
      try {
        if (closed) {
          throw new Stopped();
        }
        handed.put(new Items<>(batch, endsRange));
      } catch (InterruptedException e) {
        throw new Stopped();
      }
      batch = new ArrayList<>(bound.items());
    }
  }

  /** The reading was closed while it waited for room. */
  private static final class Stopped extends RuntimeException {
    Stopped() {
      super(null, null, false, false);
    }
  }

  /** Stops the reading thread, wherever it is, and waits for it to end. */
  @Override
  public void close() throws InterruptedException {
    closed = true;
    if (thread != null) {
      thread.interrupt();
      thread.join();
    }
  }
}
