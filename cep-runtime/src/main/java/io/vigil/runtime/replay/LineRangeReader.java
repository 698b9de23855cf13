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

  /** What receives each line: its UTF-8 bytes, valid until the next line. */
  interface LineSink {
    void line(byte[] bytes, int length, long offset) throws Exception;
  }

  private final FileChannel channel;
  private final LineRange range;
  private final byte[] chunk = new byte[1 << 16];
  private int next;
  private int limit;

  /** The file offset of {@code chunk[next]}. */
  private long position;

  private byte[] line = new byte[512];

  LineRangeReader(Path file, LineRange range) throws IOException {
    this.channel = FileChannel.open(file, StandardOpenOption.READ);
    this.range = range;
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
    if (next == limit) {
      int n = channel.read(ByteBuffer.wrap(chunk));
      if (n <= 0) {
        return -1;
      }
      next = 0;
      limit = n;
    }
    position++;
    return chunk[next++] & 0xff;
  }

  /** Gives every line that starts in the range to {@code sink}, in file order. */
  void forEach(LineSink sink) throws Exception {
    while (position < range.end()) {
      long start = position;
      int length = 0;
      int b;
      while ((b = read()) >= 0 && b != '\n') {
        if (length == line.length) {
          line = Arrays.copyOf(line, length * 2);
        }
        line[length++] = (byte) b;
      }
      if (b < 0 && length == 0) {
        return;
      }
      if (length > 0 && line[length - 1] == '\r') {
        length--;
      }
      sink.line(line, length, start);
    }
  }

  /** Whether a line is blank (only whitespace, as {@link String#isBlank}). */
  static boolean blank(byte[] bytes, int length) {
    for (int i = 0; i < length; i++) {
      int c = bytes[i];
      if (c < 0) {
        return new String(bytes, 0, length, StandardCharsets.UTF_8).isBlank();
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
