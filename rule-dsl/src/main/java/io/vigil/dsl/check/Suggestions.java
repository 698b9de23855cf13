package io.vigil.dsl.check;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean …?": the closest known name to a misspelt one. */
public final class Suggestions {

  private Suggestions() {}

  /** Names longer than this get no suggestion: the alignment table grows with both lengths. */
  private static final int LONGEST_NAME = 100;

  public static Optional<String> closest(String wrong, Collection<String> known) {
    String w = wrong.toLowerCase(Locale.ROOT);
    if (w.length() > LONGEST_NAME) {
      return Optional.empty();
    }
    int limit = Math.max(1, Math.min(3, w.length() / 3 + 1));
    return known.stream()
        .filter(k -> k.length() <= LONGEST_NAME)
        .filter(k -> distance(w, k.toLowerCase(Locale.ROOT)) <= limit || sameIgnoringCase(w, k))
        .min(Comparator.comparingInt(k -> distance(w, k.toLowerCase(Locale.ROOT))));
  }

  public static String didYouMean(String wrong, Collection<String> known, String otherwise) {
    return closest(wrong, known).map(k -> "did you mean `" + k + "`?").orElse(otherwise);
  }

  private static boolean sameIgnoringCase(String a, String b) {
    return a.equalsIgnoreCase(b);
  }

  /** Optimal string alignment distance: an adjacent swap costs one, as typos usually do. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
