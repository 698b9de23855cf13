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
          (bytes, length, offset) ->
              lines.add(offset + ":" + new String(bytes, 0, length, StandardCharsets.UTF_8)));
    }

    assertThat(lines).containsExactly("0:first", "7:sécond", "15:", "16:last");
  }

  @Property(tries = 500)
  void blankBytesAreABlankLine(@ForAll("blanks") String line) {
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    assertThat(LineRangeReader.blank(bytes, bytes.length)).isEqualTo(line.isBlank());
  }

  @Provide
  Arbitrary<String> blanks() {
    return Arbitraries.strings().withChars(" \t\u000b\f\u001c\u00a0\u2003\u3000x").ofMaxLength(6);
  }
}
