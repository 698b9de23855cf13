package io.vigil.runtime.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.vigil.compiler.event.Event;
import io.vigil.compiler.event.EventDecoder;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Function;

/**
 * Decodes a reader's lines in file order as {@link EventLines#decode} decodes each, with one parser
 * for as long as the lines follow each other in one buffer: a parser per line cost more than its
 * line's decoding (the parser, its buffers and contexts are made and given back each time).
 *
 * <p>A parser reads the next line only where the one before ended in it with nothing but whitespace
 * after its closing brace, and the bytes between are whitespace; a line it decodes ends within the
 * line, so it saw exactly the bytes the line's own parser would. Any line it cannot decode is
 * decoded again by a parser of its own, which decides. Not thread-safe: one per reader.
 */
public final class LineDecoder implements AutoCloseable {

  private final JsonFactory factory;
  private final Function<String, Optional<EventDecoder>> decoders;

  private JsonParser parser;
  private byte[] buffer;

  /** The file offset of {@code buffer[0]} when the parser was opened: a refill moves it. */
  private long base;

  /** Where in {@code buffer} the parser started. */
  private int start;

  /** Where in {@code buffer} the last decoded line ended. */
  private int resumeAt;

  /**
   * @param factory from {@link EventLines#lineFactory}, for the decoders' limits
   * @param decoders the decoder of a stream's events, empty for a stream the rules do not know
   */
  public LineDecoder(JsonFactory factory, Function<String, Optional<EventDecoder>> decoders) {
    this.factory = factory;
    this.decoders = decoders;
  }

  /**
   * The event of the line of {@code length} bytes at {@code from} in {@code bytes}, which lies at
   * {@code offset} in its file; the bytes before and after it in {@code bytes} are the file's
   * around it until the reader refills the array. Empty where {@link EventLines#decode} is.
   */
  public Optional<Event> decode(byte[] bytes, int from, int length, long offset) {
    boolean carried = follows(bytes, from, offset);
    int lineEnd = from + length;
    try {
      if (!carried) {
        open(bytes, from, offset);
      }
      Optional<Event> event = EventLines.decodeNext(parser, decoders);
      if (event.isPresent()) {
        // The closing brace is one byte: the line's event ends right after it.
        int end = start + (int) parser.currentTokenLocation().getByteOffset() + 1;
        if (end <= lineEnd) {
          if (whitespace(bytes, end, lineEnd)) {
            resumeAt = lineEnd;
          } else {
            close(); // what follows on the line is not the next line's
          }
          return event;
        }
      }
    } catch (IOException | RuntimeException e) {
      // decided below
    }
    close();
    // A parser opened at this line saw the line's own bytes and failed as its own parser would.
    return carried ? EventLines.decode(bytes, from, length, factory, decoders) : Optional.empty();
  }

  private boolean follows(byte[] bytes, int from, long offset) {
    return parser != null
        && bytes == buffer
        && offset - from == base
        && from >= resumeAt
        && whitespace(bytes, resumeAt, from);
  }

  private void open(byte[] bytes, int from, long offset) throws IOException {
    close();
    parser = factory.createParser(bytes, from, bytes.length - from);
    buffer = bytes;
    base = offset - from;
    start = from;
    resumeAt = from;
  }

  /** Whether {@code bytes[from, to)} is JSON's whitespace only. */
  private static boolean whitespace(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      byte b = bytes[i];
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }

  /** Lets go of the parser (its buffers go back to be used again) and of the reader's array. */
  @Override
  public void close() {
    if (parser != null) {
      try {
        parser.close();
      } catch (IOException e) {
        // a parser over an array has nothing to release that can fail
      }
      parser = null;
      buffer = null;
    }
  }
}
