package io.vigil.runtime.replay;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Reads the lines of one {@link LineRange} of a UTF-8 file with each line's byte offset (a line
 * ends at {@code \n}; a {@code \r} before it is dropped).
 */
final class LineRangeReader implements AutoCloseable {

  /**
   * What receives each line: {@code length} UTF-8 bytes from {@code from}, valid until the next.
   */
  interface LineSink {
    void line(byte[] bytes, int from, int length, long offset) throws Exception;
  }

  private static final int CHUNK = 1 << 16;

  /** An array of the size ranges are read in. */
  static byte[] newChunk() {
    return new byte[CHUNK];
  }

  private final FileChannel channel;
  private final LineRange range;
  private final byte[] chunk;
  private int next;
  private int limit;

  /** The file offset of {@code chunk[next]}. */
  private long position;

  /** A line that runs past the end of a chunk, gathered. */
  private byte[] carry = new byte[512];

  LineRangeReader(Path file, LineRange range) throws IOException {
    this(file, range, newChunk());
  }

  /** With chunks of {@code chunkSize} bytes (tests use small ones to cut lines across chunks). */
  LineRangeReader(Path file, LineRange range, int chunkSize) throws IOException {
    this(file, range, new byte[chunkSize]);
  }

  /**
   * Reading into {@code chunk}, which a reader of the ranges one after another hands to each (a
   * range's reader is done with it when it is closed).
   */
  LineRangeReader(Path file, LineRange range, byte[] chunk) throws IOException {
    this.channel = FileChannel.open(file, StandardOpenOption.READ);
    this.range = range;
    this.chunk = chunk;
    if (range.start() > 0) {
      // The byte before the range says whether a line starts at its first byte.
      position = range.start() - 1;
      channel.position(position);
      int b;
      while ((b = read()) >= 0 && b != '\n') {
        // the line that runs into the range belongs to the range before
      }
    }
  }

  private int read() throws IOException {
    if (next == limit && !fill()) {
      return -1;
    }
    position++;
    return chunk[next++] & 0xff;
  }

  private boolean fill() throws IOException {
    int n = channel.read(ByteBuffer.wrap(chunk));
    if (n <= 0) {
      return false;
    }
    next = 0;
    limit = n;
    return true;
  }

  /**
   * Gives every line that starts in the range to {@code sink}, in file order. A line that lies
   * within one chunk is handed over where it lies, not copied; one that runs past it is gathered.
   */
  void forEach(LineSink sink) throws Exception {
    while (position < range.end()) {
      long start = position;
      if (next == limit && !fill()) {
        return;
      }
      int end = newline(next);
      if (end >= 0) {
        int from = next;
        position += end + 1 - next;
        next = end + 1;
        sink.line(chunk, from, withoutCr(chunk, from, end - from), start);
        continue;
      }
      int length = 0;
      while (true) {
        int stop = end >= 0 ? end : limit;
        int n = stop - next;
        if (length + n > carry.length) {
          carry = Arrays.copyOf(carry, Math.max(carry.length * 2, length + n));
        }
        System.arraycopy(chunk, next, carry, length, n);
        length += n;
        position += n;
        next = stop;
        if (end >= 0) {
          next++;
          position++;
          break;
        }
        if (!fill()) {
          break;
        }
        end = newline(next);
      }
      sink.line(carry, 0, withoutCr(carry, 0, length), start);
    }
  }

  /** The index of the chunk's next {@code \n} at or after {@code from}, or -1. */
  private int newline(int from) {
    for (int i = from; i < limit; i++) {
      if (chunk[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static int withoutCr(byte[] bytes, int from, int length) {
    return length > 0 && bytes[from + length - 1] == '\r' ? length - 1 : length;
  }

  /** Whether a line is blank (only whitespace, as {@link String#isBlank}). */
  static boolean blank(byte[] bytes, int from, int length) {
    for (int i = from; i < from + length; i++) {
      int c = bytes[i];
      if (c < 0) {
        return new String(bytes, from, length, StandardCharsets.UTF_8).isBlank();
      }
      if (!Character.isWhitespace(c)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
