package io.vigil.runtime.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineRangeReaderTest {

  @TempDir Path dir;

  @Test
  void everyLineThatStartsInTheRangeComesWithItsOffsetAndWithoutItsLineEnd() throws Exception {
    Path file = dir.resolve("events.jsonl");
    Files.writeString(file, "first\r\nsécond\n\nlast", StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>();

    try (LineRangeReader reader = new LineRangeReader(file, new LineRange(0, Files.size(file)))) {
      reader.forEach(
          (bytes, from, length, offset) ->
              lines.add(offset + ":" + new String(bytes, from, length, StandardCharsets.UTF_8)));
    }

    assertThat(lines).containsExactly("0:first", "7:sécond", "15:", "16:last");
  }

  @Property(tries = 300)
  void rangesOfAnyChunkSizeTogetherGiveEveryLineOnceWithItsOffset(
      @ForAll("files") String text,
      @ForAll @IntRange(min = 1, max = 9) int chunkSize,
      @ForAll @IntRange(min = 1, max = 4) int ranges)
      throws Exception {
    // (jqwik properties get no @TempDir)
    Path file = Files.createTempFile("events", ".jsonl");
    byte[] content = text.getBytes(StandardCharsets.UTF_8);
    Files.write(file, content);
    List<String> lines = new ArrayList<>();

    long size = content.length;
    // One array for all the ranges, as a reader of them in turn reads them.
    byte[] chunk = new byte[chunkSize];
    try {
      for (int r = 0; r < ranges; r++) {
        LineRange range = new LineRange(size * r / ranges, size * (r + 1) / ranges);
        try (LineRangeReader reader = new LineRangeReader(file, range, chunk)) {
          reader.forEach(
              (bytes, from, length, offset) ->
                  lines.add(
                      offset + ":" + new String(bytes, from, length, StandardCharsets.UTF_8)));
        }
      }
    } finally {
      Files.delete(file);
    }

    assertThat(lines).containsExactlyElementsOf(expectedLines(text));
  }

  /**
   * The lines of {@code text} with their byte offsets, as a line ends at \n (a \r before it goes).
   */
  private static List<String> expectedLines(String text) {
    List<String> expected = new ArrayList<>();
    int offset = 0;
    int start = 0;
    while (start < text.length()) {
      int end = text.indexOf('\n', start);
      String line = end < 0 ? text.substring(start) : text.substring(start, end);
      String kept = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
      expected.add(offset + ":" + kept);
      offset += line.getBytes(StandardCharsets.UTF_8).length + (end < 0 ? 0 : 1);
      start = end < 0 ? text.length() : end + 1;
    }
    return expected;
  }

  @Provide
  Arbitrary<String> files() {
    return Arbitraries.strings().withChars("ab\r\né{}").ofMaxLength(40);
  }

  @Property(tries = 500)
  void blankBytesAreABlankLine(@ForAll("blanks") String line) {
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    assertThat(LineRangeReader.blank(bytes, 0, bytes.length)).isEqualTo(line.isBlank());
  }

  @Provide
  Arbitrary<String> blanks() {
    return Arbitraries.strings().withChars(" \t\u000b\f\u001c\u00a0\u2003\u3000x").ofMaxLength(6);
  }
}
