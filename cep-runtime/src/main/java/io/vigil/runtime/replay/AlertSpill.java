package io.vigil.runtime.replay;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A replay's alerts on their way to the alerts file: each alert's JSON goes to a spill file as it
 * arrives, and only what orders it ({@link ReplayLine#ALERT_ORDER}) and where its line lies stay in
 * memory, about 120 bytes an alert. When the input ends, the lines are copied to the alerts file in
 * order, written through the alerts file's path (it may be a link, a pipe or /dev/stdout). A run
 * with many alerts so keeps little of them on the heap, where every young collection would copy
 * them.
 */
final class AlertSpill implements AutoCloseable {

  /** Where one alert's line lies in the spill file, and what orders it. */
  private record Line(long endTime, String ruleId, String alertId, long offset, int length) {}

  private static final Comparator<Line> ORDER =
      ReplayLine.alertOrder(Line::endTime, Line::ruleId, Line::alertId);

  /** The most bytes of the spill file one mapping holds (tests make it small). */
  private final long segmentBytes;

  private final Path spill;
  private final OutputStream out;
  private final List<Line> lines = new ArrayList<>();
  // Rule ids arrive as new strings with every alert: one instance of each is kept.
  private final Map<String, String> ruleIds = new HashMap<>();
  private long written;

  AlertSpill(Path spill) throws IOException {
    this(spill, 1L << 30);
  }

  /** As above, the spill file mapped in parts of {@code segmentBytes} when it is read back. */
  AlertSpill(Path spill, long segmentBytes) throws IOException {
    this.segmentBytes = segmentBytes;
    this.spill = spill;
    this.out = new BufferedOutputStream(Files.newOutputStream(spill), 1 << 16);
  }

  /** Appends an alert line ({@link ReplayLine.Kind#ALERT}). */
  void add(ReplayLine alert) throws IOException {
    byte[] json = alert.utf8();
    out.write(json);
    out.write('\n');
    String ruleId = ruleIds.computeIfAbsent(alert.ruleId(), id -> id);
    Line line = new Line(alert.endTime(), ruleId, alert.alertId(), written, json.length + 1);
    written += line.length();
    lines.add(line);
  }

  /** How many alerts were added. */
  int count() {
    return lines.size();
  }

  /** Writes every alert added, in {@link ReplayLine#ALERT_ORDER}, to {@code alerts}; once. */
  void writeSorted(Path alerts) throws IOException {
    out.close();
    lines.sort(ORDER);
    int longest = lines.stream().mapToInt(Line::length).max().orElse(0);
    byte[] scratch = new byte[longest];
    // Lines are copied from mappings of the file: a system call per line (a positional read) cost
    // more than the rest of the copy. A line that crosses from one mapping into the next is read.
    MappedByteBuffer[] segments =
        new MappedByteBuffer[(int) ((written + segmentBytes - 1) / segmentBytes)];
    try (FileChannel from = FileChannel.open(spill, StandardOpenOption.READ);
        OutputStream to = new BufferedOutputStream(Files.newOutputStream(alerts), 1 << 16)) {
      for (Line line : lines) {
        int segment = (int) (line.offset() / segmentBytes);
        if ((line.offset() + line.length() - 1) / segmentBytes == segment) {
          if (segments[segment] == null) {
            long start = segment * segmentBytes;
            segments[segment] =
                from.map(
                    FileChannel.MapMode.READ_ONLY, start, Math.min(segmentBytes, written - start));
          }
          segments[segment].get(
              (int) (line.offset() - segment * segmentBytes), scratch, 0, line.length());
        } else {
          read(from, line, ByteBuffer.wrap(scratch, 0, line.length()));
        }
        to.write(scratch, 0, line.length());
      }
    }
    Files.delete(spill);
  }

  private void read(FileChannel from, Line line, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      if (from.read(buffer, line.offset() + buffer.position()) < 0) {
        throw new IOException("the alert spill file " + spill + " ended early");
      }
    }
  }

  @Override
  public void close() throws IOException {
    out.close();
    Files.deleteIfExists(spill);
  }
}
