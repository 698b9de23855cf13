package io.vigil.dsl.syntax;

/** String literals of the language: quotes and the two escapes. */
final class Quoting {
  private Quoting() {}

  static String unquote(String quoted) {
    return unescape(quoted.substring(1, quoted.length() - 1));
  }

  /** {@code \"} and {@code \\} are escapes; any other backslash stays as written. */
  static String unescape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length() && (s.charAt(i + 1) == '"' || s.charAt(i + 1) == '\\')) {
        out.append(s.charAt(++i));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
