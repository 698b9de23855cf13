package io.vigil.runtime.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The digest of what the writer is given is the digest of the text's {@code getBytes(UTF_8)},
 * however the text is cut into writes and whichever write methods carry it: surrogate pairs split
 * across writes, surrogates without their partner (at the end too) and text longer than the
 * writer's buffer included.
 */
class Utf8DigestWriterTest {

  @Property(tries = 500)
  void digestsTheBytesOfTheWholeTextsGetBytes(
      @ForAll("texts") String text,
      @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 2) Integer> cuts,
      @ForAll @IntRange(min = 1, max = 700) int piece)
      throws Exception {
    MessageDigest expected = MessageDigest.getInstance("SHA-256");
    expected.update(text.getBytes(StandardCharsets.UTF_8));

    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (Utf8DigestWriter writer = new Utf8DigestWriter(digest)) {
      int at = 0;
      int turn = 0;
      while (at < text.length()) {
        int how = cuts.isEmpty() ? 0 : cuts.get(turn++ % cuts.size());
        int end = Math.min(text.length(), at + (how == 2 ? 1 : piece));
        switch (how) {
          case 0 -> writer.write(text, at, end - at);
          case 1 -> writer.write(text.substring(at, end).toCharArray(), 0, end - at);
          default -> writer.write(text.charAt(at));
        }
        at = end;
      }
    }

    assertThat(digest.digest()).isEqualTo(expected.digest());
  }

  @Provide
  Arbitrary<String> texts() {
    // Surrogates (paired or not) often, every other range of chars too, up to several buffers.
    Arbitrary<Character> chars =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, Arbitraries.chars().range('\uD800', '\uDFFF')),
            net.jqwik.api.Tuple.of(3, Arbitraries.chars().ascii()),
            net.jqwik.api.Tuple.of(2, Arbitraries.chars().range('\u0080', '\u07FF')),
            net.jqwik.api.Tuple.of(2, Arbitraries.chars().range('\u0800', '\uFFFF')));
    Arbitrary<String> pairs =
        Arbitraries.strings()
            .withCharRange('\uD800', '\uDBFF')
            .ofLength(1)
            .flatMap(high -> Arbitraries.chars().range('\uDC00', '\uDFFF').map(low -> high + low));
    return Arbitraries.oneOf(chars.map(String::valueOf), pairs, chars.map(String::valueOf), pairs)
        .list()
        .ofMaxSize(1200)
        .map(parts -> String.join("", parts));
  }
}
