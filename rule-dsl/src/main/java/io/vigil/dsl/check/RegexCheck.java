package io.vigil.dsl.check;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Checks the regular expression of {@code matches}. Conditions run it with RE2/J, whose matching
 * time is linear in the input, so no expression can stall a job on a crafted event; the price is
 * RE2's syntax, without backreferences, lookaround, possessive quantifiers or atomic groups.
 *
 * <p>RE2/J expands counted repetitions when it compiles ({@code (a{1000}){1000}} is a million
 * instructions and exhausts the heap), so the expanded size is estimated on the text first.
 */
final class RegexCheck {

  /** Why an expression is refused, and what to do. */
  record Problem(String message, String hint) {}

  private RegexCheck() {}

  static Optional<Problem> problem(String regex, int maxSize) {
    long size = expandedSize(regex, maxSize);
    if (size > maxSize) {
      return Optional.of(
          new Problem(
              "this regular expression expands to more than "
                  + maxSize
                  + " steps, the limit `regex-size`",
              "nested counted repetitions multiply, e.g. `(a{100}){100}` is 10000: use `+` or"
                  + " `*`, or smaller counts"));
    }
    try {
      Pattern.compile(regex);
      return Optional.empty();
    } catch (PatternSyntaxException e) {
      return Optional.of(
          new Problem(
              "invalid regular expression: "
                  + e.getMessage().replaceFirst("^error parsing regexp: ", ""),
              hint(e)));
    }
  }

  private static String hint(PatternSyntaxException e) {
    String d = e.getDescription();
    if (d.contains("escape")
        || d.contains("Perl syntax")
        || d.contains("named capture")
        || d.contains("nested repetition")) {
      return "`matches` uses RE2 syntax, which matches in linear time: backreferences (\\1),"
          + " lookaround ((?=, (?!, (?<=, (?<!), possessive quantifiers (*+) and atomic groups"
          + " ((?>) are not supported";
    }
    return "`matches` uses RE2 syntax (docs/language.md); backslashes are kept as written";
  }

  /**
   * An upper estimate of the instructions RE2 compiles {@code regex} to, stopping early once past
   * {@code cap}: every atom counts 1, a counted repetition multiplies what it repeats by its
   * largest count. Malformed input is not judged here (RE2/J reports it).
   */
  static long expandedSize(String regex, long cap) {
    Deque<long[]> groups = new ArrayDeque<>(); // per open group: {size so far, size of last atom}
    long total = 0;
    long last = 0;
    long open = 0; // the sizes held by the open groups

    int i = 0;
    int n = regex.length();
    while (i < n) {
      char c = regex.charAt(i);
      if (c == '\\') {
        if (i + 1 < n && regex.charAt(i + 1) == 'Q') {
          int end = regex.indexOf("\\E", i + 2);
          int stop = end < 0 ? n : end;
          total += stop - (i + 2);
          last = 1;
          i = end < 0 ? n : end + 2;
          continue;
        }
        if (i + 2 < n
            && (regex.charAt(i + 1) == 'p' || regex.charAt(i + 1) == 'P')
            && regex.charAt(i + 2) == '{') {
          int close = regex.indexOf('}', i + 3);
          i = close < 0 ? n : close + 1;
        } else {
          i = Math.min(n, i + 2);
        }
        total += 1;
        last = 1;
      } else if (c == '[') {
        i = classEnd(regex, i);
        total += 1;
        last = 1;
      } else if (c == '(') {
        int j = i + 1;
        if (j < n && regex.charAt(j) == '?') {
          while (j < n
              && regex.charAt(j) != ':'
              && regex.charAt(j) != ')'
              && regex.charAt(j) != '>') {
            j++;
          }
          if (j < n && regex.charAt(j) == ')') {
            i = j + 1; // flags only, e.g. (?i)
            continue;
          }
          j = Math.min(n, j + 1);
        }
        groups.push(new long[] {total, last});
        open += total;
        total = 0;
        last = 0;
        i = j;
      } else if (c == ')') {
        long inner = total + 1;
        if (groups.isEmpty()) {
          total = inner;
        } else {
          long[] outer = groups.pop();
          open -= outer[0];
          total = outer[0] + inner;
        }
        last = inner;
        i++;
      } else if (c == '{') {
        int close = regex.indexOf('}', i);
        long count = close < 0 ? -1 : largestCount(regex.substring(i + 1, close));
        if (count < 0) {
          total += 1; // a literal brace
          last = 1;
          i++;
        } else {
          long repeated = saturatingMultiply(last, Math.max(1, count));
          total = total - last + repeated;
          last = repeated;
          i = close + 1;
        }
      } else if (c == '*' || c == '+' || c == '?') {
        total += 1;
        last += 1;
        i++;
      } else {
        total += 1;
        last = 1;
        i++;
      }
      if (total + open > cap) {
        return total + open;
      }
    }
    return total + open;
  }

  /** The largest count of {@code n}, {@code n,} or {@code n,m}; -1 when not a repetition. */
  private static long largestCount(String body) {
    if (!body.matches("[0-9]{1,9}(,[0-9]{0,9})?")) {
      return -1;
    }
    String[] parts = body.split(",", -1);
    long min = Long.parseLong(parts[0]);
    if (parts.length == 1) {
      return min;
    }
    return parts[1].isEmpty() ? min + 1 : Math.max(min, Long.parseLong(parts[1]));
  }

  private static int classEnd(String regex, int open) {
    int i = open + 1;
    int n = regex.length();
    if (i < n && regex.charAt(i) == '^') {
      i++;
    }
    if (i < n && regex.charAt(i) == ']') {
      i++;
    }
    while (i < n) {
      char c = regex.charAt(i);
      if (c == '\\') {
        i += 2;
      } else if (c == '[' && i + 1 < n && regex.charAt(i + 1) == ':') {
        int close = regex.indexOf(":]", i + 2);
        i = close < 0 ? i + 1 : close + 2;
      } else if (c == ']') {
        return i + 1;
      } else {
        i++;
      }
    }
    return n;
  }

  private static long saturatingMultiply(long a, long b) {
    long r = a * b;
    return a != 0 && (r / a != b || r < 0) ? Long.MAX_VALUE / 4 : r;
  }
}
