package io.vigil.dsl.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The size estimated on the text bounds what RE2/J really compiles, so that refusing large
 * estimates refuses every expression that would exhaust memory when compiled.
 */
class RegexSizePropertiesTest {

  @Property(tries = 500)
  void theEstimateBoundsTheCompiledProgram(@ForAll("regexes") String regex) {
    long estimate = RegexCheck.expandedSize(regex, Long.MAX_VALUE);
    long compiled = Pattern.compile(regex).programSize();

    assertThat(compiled).as(regex).isLessThanOrEqualTo(4 * estimate + 10);
  }

  @Test
  void nestedCountsMultiply() {
    assertThat(RegexCheck.expandedSize("(.*a){25}", 10_000)).isEqualTo(100);
    assertThat(RegexCheck.expandedSize("a{1000}", 10_000)).isEqualTo(1000);
    assertThat(RegexCheck.expandedSize("(a{100}){100}", 100_000)).isGreaterThanOrEqualTo(10_000);
    assertThat(RegexCheck.expandedSize("((a{1000}){1000}){1000}", 1_000)).isGreaterThan(1_000);
    assertThat(RegexCheck.expandedSize("[{]{2}x\\{3}", 1_000)).isLessThan(10);
  }

  @Provide
  Arbitrary<String> regexes() {
    return regex(4);
  }

  private Arbitrary<String> regex(int depth) {
    Arbitrary<String> atom = Arbitraries.of("a", ".", "[a-z]", "\\d", "\\pL", "[[:alpha:]]", "b");
    if (depth == 0) {
      return atom;
    }
    Arbitrary<String> inner = Arbitraries.lazy(() -> regex(depth - 1));
    Arbitrary<String> repeat =
        Arbitraries.oneOf(
            Arbitraries.of("*", "+", "?", "*?", ""),
            Arbitraries.integers().between(0, 12).map(n -> "{" + n + "}"),
            Arbitraries.integers().between(1, 12).map(n -> "{" + n + ",}"),
            Arbitraries.integers().between(0, 12).map(n -> "{" + n + "," + (n + 3) + "}"));
    return Arbitraries.oneOf(
        atom,
        inner.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join("", l)),
        inner.list().ofMinSize(2).ofMaxSize(3).map(l -> String.join("|", l)),
        net.jqwik.api.Combinators.combine(
                Arbitraries.of("(", "(?:", "(?i)(", "(?s:"), inner, repeat)
            .as((open, body, rep) -> open + body + ")" + rep),
        net.jqwik.api.Combinators.combine(atom, repeat).as((a, rep) -> a + rep));
  }
}
