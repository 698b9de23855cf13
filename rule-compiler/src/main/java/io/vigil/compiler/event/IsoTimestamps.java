package io.vigil.compiler.event;

/**
 * Reads the common shape of an ISO-8601 instant, {@code yyyy-MM-ddTHH:mm:ss[.f…]} followed by
 * {@code Z} or {@code ±HH:MM}, into epoch milliseconds without a {@code DateTimeFormatter} (which
 * costs more than the rest of an event's decoding). Any other text (a leap second, no seconds,
 * lower-case letters, a year outside 1000–9999) is left to the full parser: the answer is then
 * {@link #NOT_FAST}, never a different reading of the same text.
 */
final class IsoTimestamps {

  /** The text does not have the fast shape; parse it the general way. */
  static final long NOT_FAST = Long.MIN_VALUE;

  private static final int[] DAYS_BEFORE_MONTH = {
    0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334
  };

  private IsoTimestamps() {}

  static long epochMillis(String s) {
    int n = s.length();
    if (n < 20
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':') {
      return NOT_FAST;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if (year < 1000
        || month < 1
        || month > 12
        || day < 1
        || day > daysInMonth(year, month)
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 59) {
      return NOT_FAST;
    }
    int i = 19;
    int millis = 0;
    if (s.charAt(i) == '.') {
      int start = ++i;
      while (i < n && isDigit(s.charAt(i))) {
        if (i - start < 3) {
          millis = millis * 10 + (s.charAt(i) - '0');
        }
        i++;
      }
      int count = i - start;
      if (count == 0 || count > 9) {
        return NOT_FAST;
      }
      for (int k = count; k < 3; k++) {
        millis *= 10;
      }
    }
    int offsetSeconds;
    if (i == n - 1 && s.charAt(i) == 'Z') {
      offsetSeconds = 0;
    } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
      int oh = digits(s, i + 1, 2);
      int om = digits(s, i + 4, 2);
      if (oh < 0 || oh > 17 || om < 0 || om > 59) {
        return NOT_FAST;
      }
      offsetSeconds = (oh * 3600 + om * 60) * (s.charAt(i) == '-' ? -1 : 1);
    } else {
      return NOT_FAST;
    }
    long epochDay = epochDay(year, month, day);
    long seconds = epochDay * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
    return seconds * 1000L + millis;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** The number written by {@code count} digits at {@code from}, or -1 if one is not a digit. */
  private static int digits(String s, int from, int count) {
    int value = 0;
    for (int k = from; k < from + count; k++) {
      char c = s.charAt(k);
      if (!isDigit(c)) {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static boolean leap(int year) {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  }

  private static int daysInMonth(int year, int month) {
    return switch (month) {
      case 2 -> leap(year) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  private static long epochDay(int year, int month, int day) {
    long y = year - 1;
    long days = 365 * y + y / 4 - y / 100 + y / 400; // days in the years before, from 0001-01-01
    days += DAYS_BEFORE_MONTH[month - 1] + (month > 2 && leap(year) ? 1 : 0) + day - 1;
    return days - 719_162; // 0001-01-01 to 1970-01-01
  }
}
