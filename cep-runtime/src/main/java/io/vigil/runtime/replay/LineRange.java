package io.vigil.runtime.replay;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A byte range of a file: the lines that start in {@code [start, end)} (the line that starts before
 * {@code start} and runs into it belongs to the range before).
 */
public record LineRange(long start, long end) implements Serializable {

  private static final long serialVersionUID = 1L;

  public LineRange {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("bad line range [" + start + ", " + end + ")");
    }
  }

  /**
   * Cuts {@code file} into ranges of about {@code bytes} each, in file order: a reader is handed
   * the file one range at a time, each one record of the job.
   */
  public static List<LineRange> split(Path file, long bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("range size must be positive: " + bytes);
    }
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException("events file " + file, e);
    }
    List<LineRange> ranges = new ArrayList<>();
    for (long start = 0; start < size; start += bytes) {
      ranges.add(new LineRange(start, Math.min(size, start + bytes)));
    }
    if (ranges.isEmpty()) {
      ranges.add(new LineRange(0, 0));
    }
    return ranges;
  }
}
