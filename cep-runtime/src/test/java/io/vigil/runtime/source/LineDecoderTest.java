package io.vigil.runtime.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.event.Event;
import io.vigil.compiler.event.EventDecoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

class LineDecoderTest {

  private final RawEventDecoding decoding = new RawEventDecoding();
  private final Function<String, Optional<EventDecoder>> decoders =
      stream ->
          stream.equals("payments")
              ? Optional.of(decoding.decoder(stream, EventLinesTest.PAYMENTS))
              : Optional.empty();

  /** A line as the reader hands it over: where it lies in its array, and where in the file. */
  private record Handed(byte[] bytes, int from, int length, long offset) {

    Handed {
      // The line's own bytes, for the line's own parser: the array changes when it is refilled.
      bytes = bytes.clone();
    }
  }

  /**
   * Hands over the lines of {@code file} as a reader with chunks of {@code chunk} bytes does: a
   * line within a chunk where it lies in the one array all chunks are read into, a line across two
   * chunks in an array of its own with stale bytes after it. Each line is decoded when it is handed
   * over; its own parser then decodes a copy of what it was handed.
   */
  private List<Optional<Event>[]> decodeAsRead(byte[] file, int chunk) {
    List<Optional<Event>[]> decoded = new ArrayList<>();
    byte[] array = new byte[chunk];
    byte[] carry = new byte[file.length + 8];
    Arrays.fill(carry, (byte) '}');
    try (LineDecoder lines = new LineDecoder(EventLines.lineFactory(decoding.limits()), decoders)) {
      int lineStart = 0;
      for (int chunkStart = 0; chunkStart < file.length; chunkStart += chunk) {
        int limit = Math.min(chunk, file.length - chunkStart);
        Arrays.fill(array, (byte) ' ');
        System.arraycopy(file, chunkStart, array, 0, limit);
        for (int i = Math.max(lineStart, chunkStart); i < chunkStart + limit; i++) {
          if (file[i] != '\n') {
            continue;
          }
          int length = i - lineStart;
          if (length > 0 && file[i - 1] == '\r') {
            length--;
          }
          Handed line;
          if (lineStart >= chunkStart) {
            line = new Handed(array, lineStart - chunkStart, length, lineStart);
            decoded.add(both(lines, array, line));
          } else {
            System.arraycopy(file, lineStart, carry, 0, length);
            line = new Handed(carry, 0, length, lineStart);
            decoded.add(both(lines, carry, line));
          }
          lineStart = i + 1;
        }
      }
    }
    return decoded;
  }

  @SuppressWarnings("unchecked")
  private Optional<Event>[] both(LineDecoder lines, byte[] array, Handed line) {
    // The reader's caller skips blank lines, as the router does.
    if (new String(line.bytes(), line.from(), line.length(), StandardCharsets.UTF_8).isBlank()) {
      return new Optional[] {Optional.empty(), Optional.empty()};
    }
    Optional<Event> inSequence = lines.decode(array, line.from(), line.length(), line.offset());
    Optional<Event> alone =
        EventLines.decode(
            line.bytes(),
            line.from(),
            line.length(),
            EventLines.lineFactory(decoding.limits()),
            decoders);
    return new Optional[] {inSequence, alone};
  }

  private static byte[] file(List<String> lines, List<String> separators) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < lines.size(); i++) {
      out.writeBytes(lines.get(i).getBytes(StandardCharsets.UTF_8));
      out.writeBytes(separators.get(i % separators.size()).getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  @Property(tries = 400)
  void everyLineDecodedInSequenceIsTheEventOfItsOwnParser(
      @ForAll("files") List<String> lines,
      @ForAll("separators") List<String> separators,
      @ForAll @IntRange(min = 24, max = 700) int chunk) {
    List<Optional<Event>[]> decoded = decodeAsRead(file(lines, separators), chunk);
    for (Optional<Event>[] pair : decoded) {
      Statistics.collect(pair[1].isPresent() ? "decoded" : "left to two passes");
      assertThat(pair[0]).isEqualTo(pair[1]);
    }
    Statistics.coverage(c -> c.check("decoded").percentage(p -> p >= 5));
  }

  @Test
  void aPlainFileIsDecodedLineByLineWhereverItsChunksEnd() {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      lines.add(
          "{\"stream\":\"payments\",\"event\":{\"a\":%d.50,\"b\":\"c-%d\",\"ts\":%d}}"
              .formatted(i, i % 7, 1_700_000_000_000L + i));
    }
    for (int chunk : new int[] {64, 100, 4096, 1 << 16}) {
      List<Optional<Event>[]> decoded =
          decodeAsRead(file(lines, List.of("\n", "\r\n", "\n \n")), chunk);
      assertThat(decoded).hasSize(200 + 66); // every third separator holds a blank line
      List<Event> events =
          decoded.stream().flatMap(pair -> pair[0].stream()).map(e -> (Event) e).toList();
      assertThat(events).hasSize(200);
      assertThat(events).extracting(e -> e.value(1)).startsWith("c-0", "c-1", "c-2");
      assertThat(events.get(199).timestamp()).isEqualTo(1_700_000_000_199L);
    }
  }

  @Provide
  Arbitrary<List<String>> files() {
    EventLinesTest lines = new EventLinesTest();
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(4, lines.paymentLines()),
            net.jqwik.api.Tuple.of(1, lines.lines()),
            net.jqwik.api.Tuple.of(1, Arbitraries.of("", "  ", "\t", "{}", "{\"stream\":")))
        .list()
        .ofMaxSize(14);
  }

  @Provide
  Arbitrary<List<String>> separators() {
    return Arbitraries.of("\n", "\r\n", "\n\n", "\n \t\n", " \n", "\n\u000b\n")
        .list()
        .ofMinSize(1)
        .ofMaxSize(3);
  }
}
