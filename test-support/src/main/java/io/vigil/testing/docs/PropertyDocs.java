package io.vigil.testing.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Holds a component's documented options to its declared ones: the rows of a page's tables whose
 * first cell names {@code prefix} options, against {@link DeclaredProperties}. A row may name
 * several options of one parent ({@code `vigil.a.b` / `c`} is {@code vigil.a.b} and {@code
 * vigil.a.c}); its second cell gives their defaults in the same order, separated by {@code " / "}.
 * "empty…" is an empty default, "none…" and "(required)" mean there is no default.
 */
public final class PropertyDocs {
  private static final Pattern CODE = Pattern.compile("`([^`]+)`");

  private PropertyDocs() {}

  /**
   * Every difference between the options declared under {@code basePackage} and those documented in
   * {@code pages}: undocumented, documented but not declared, or documented with another default.
   * Empty when they agree.
   */
  public static List<String> differences(String basePackage, String prefix, List<Path> pages) {
    Map<String, Optional<String>> declared = DeclaredProperties.in(basePackage);
    Map<String, String> documented = documented(prefix, pages);
    List<String> differences = new ArrayList<>();
    declared.forEach(
        (name, value) -> {
          if (!documented.containsKey(name)) {
            differences.add(name + " is declared but not documented in " + pages);
            return;
          }
          String expected = value.map(PropertyDocs::normalize).orElse("none");
          String actual = normalize(documented.get(name));
          if (!expected.equals(actual)) {
            differences.add(
                name + " is documented with default '" + actual + "' but is '" + expected + "'");
          }
        });
    documented.keySet().stream()
        .filter(name -> !declared.containsKey(name))
        .forEach(name -> differences.add(name + " is documented but not declared"));
    return differences;
  }

  /** The documentation page {@code file} of the project's {@code docs/} folder. */
  public static Path page(String file) {
    Path here = Path.of("").toAbsolutePath();
    for (Path dir = here; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("docs").resolve(file);
      if (Files.exists(candidate)) {
        return candidate;
      }
    }
    throw new IllegalArgumentException("no docs/" + file + " above " + here);
  }

  static Map<String, String> documented(String prefix, List<Path> pages) {
    Map<String, String> properties = new java.util.TreeMap<>();
    for (Path page : pages) {
      for (String line : lines(page)) {
        if (!line.startsWith("| `" + prefix)) {
          continue;
        }
        String[] cells = line.split("(?<!\\\\)\\|");
        List<String> names = names(cells[1]);
        String defaults = cells[2].trim();
        String[] values = defaults.split(" / ");
        for (int i = 0; i < names.size(); i++) {
          properties.put(names.get(i), values.length == names.size() ? values[i] : defaults);
        }
      }
    }
    return properties;
  }

  private static List<String> names(String cell) {
    List<String> names = new ArrayList<>();
    String parent = "";
    Matcher m = CODE.matcher(cell.replaceAll("\\([^)]*\\)", ""));
    while (m.find()) {
      String name = m.group(1);
      if (name.endsWith(".*")) {
        continue; // a pointer to another page's table
      }
      if (name.contains(".")) {
        parent = name.substring(0, name.lastIndexOf('.') + 1);
        names.add(name);
      } else if (!name.isEmpty()) {
        names.add(parent + name);
      }
    }
    return names;
  }

  static String normalize(String text) {
    String value = text.replace("`", "").replace("*", "").trim();
    String lower = value.toLowerCase(Locale.ROOT);
    if (lower.isEmpty() || lower.startsWith("empty")) {
      return "";
    }
    if (lower.startsWith("none") || lower.startsWith("(required)")) {
      return "none";
    }
    return value;
  }

  private static List<String> lines(Path page) {
    try {
      return Files.readAllLines(page);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
