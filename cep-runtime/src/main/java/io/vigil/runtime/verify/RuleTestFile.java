package io.vigil.runtime.verify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A rule's test cases, in {@code <rule>.tests.yaml} beside {@code <rule>.vgl}; the cases test the
 * rules declared in that {@code .vgl} file (or the DRL rule set {@code <rule>.drl}):
 *
 * <pre>{@code
 * cases:
 *   - name: three tiny charges then a large one
 *     events: |
 *       {"stream":"payments","event":{"cardId":"c1","amount":1.00,...}}
 *       ...
 *     expected: |
 *       MATCH {cardId=c1} Card c1: 3 tiny charges then 899.00 EUR at TechHub
 *   - name: a large charge alone raises nothing
 *     events: |
 *       ...
 *     expected: []
 * }</pre>
 *
 * {@code events} is JSON Lines (or a list of {@code {stream, event}} objects); {@code expected} is
 * one {@link AlertSignature} per line (or a list of them); {@code []} means no alert. A case saved
 * by the console, as JSON, is such a case ({@code author} and {@code savedAt} are read and
 * ignored).
 */
public record RuleTestFile(Path path, Path ruleFile, List<RuleTestCase> cases) {

  /** The suffix that marks a test file. */
  public static final String SUFFIX = ".tests.yaml";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  // Multi-line text as literal blocks, every other string double-quoted: read back exactly.
  private static final ObjectMapper YAML_OUT =
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .disable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
              .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
              .build());
  private static final Set<String> CASE_FIELDS =
      Set.of("name", "events", "expected", "author", "savedAt");

  public RuleTestFile {
    cases = List.copyOf(cases);
  }

  /** Thrown for a test file that cannot be read, with the file and what is wrong. */
  public static final class InvalidTestFileException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidTestFileException(String message) {
      super(message);
    }
  }

  /**
   * The file whose rules {@code testFile} tests: {@code <rule>.vgl} beside it, or the DRL rule set
   * {@code <rule>.drl} when only that one exists ({@code <rule>} is the name without {@link
   * #SUFFIX}, or without its last extension for a test file named otherwise).
   */
  public static Path ruleFileOf(Path testFile) {
    String name = testFile.getFileName().toString();
    String base =
        name.endsWith(SUFFIX)
            ? name.substring(0, name.length() - SUFFIX.length())
            : name.replaceFirst("\\.[^.]*$", "");
    Path vgl = testFile.resolveSibling(base + ".vgl");
    Path drl = testFile.resolveSibling(base + ".drl");
    return !Files.exists(vgl) && Files.exists(drl) ? drl : vgl;
  }

  public static RuleTestFile read(Path path) throws InvalidTestFileException {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InvalidTestFileException(path + ": cannot read: " + e.getMessage());
    }
    return parse(path, text);
  }

  /** Reads a test file's text; {@code path} names it in messages and places its rule file. */
  public static RuleTestFile parse(Path path, String text) throws InvalidTestFileException {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (IOException e) {
      throw new InvalidTestFileException(path + ": not YAML: " + e.getMessage());
    }
    if (root == null || !root.isObject() || !root.path("cases").isArray()) {
      throw invalid(path, "expected a mapping with a list `cases:`");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!field.equals("cases")) {
        throw invalid(path, "unknown key `" + field + "` (a test file holds only `cases:`)");
      }
    }
    List<RuleTestCase> cases = new ArrayList<>();
    Set<String> names = new HashSet<>();
    int index = 0;
    for (JsonNode node : root.get("cases")) {
      index++;
      RuleTestCase c = parseCase(path, index, node);
      if (!names.add(c.name())) {
        throw invalid(path, "case " + index + ": the name `" + c.name() + "` is used twice");
      }
      cases.add(c);
    }
    if (cases.isEmpty()) {
      throw invalid(path, "no cases");
    }
    return new RuleTestFile(path, ruleFileOf(path), cases);
  }

  /**
   * The text of a test file holding {@code cases}, which {@link #parse} reads back as the same
   * cases: {@code events} as a literal block (its text exactly, final newline or not), each
   * expected alert as a quoted line, {@code expected: []} for no alert.
   *
   * @param header comment lines written first (without {@code #}), e.g. what the file tests
   */
  public static String write(List<RuleTestCase> cases, List<String> header) {
    ObjectNode root = YAML_OUT.createObjectNode();
    ArrayNode list = root.putArray("cases");
    for (RuleTestCase c : cases) {
      ObjectNode node = list.addObject();
      node.put("name", c.name());
      node.put("events", c.events());
      ArrayNode expected = node.putArray("expected");
      c.expected().forEach(expected::add);
    }
    StringBuilder out = new StringBuilder();
    header.forEach(line -> out.append("# ").append(line).append('\n'));
    try {
      return out.append(YAML_OUT.writeValueAsString(root)).toString();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write test cases as YAML", e);
    }
  }

  private static RuleTestCase parseCase(Path path, int index, JsonNode node)
      throws InvalidTestFileException {
    String where = "case " + index;
    if (!node.isObject()) {
      throw invalid(path, where + ": expected a mapping with name, events and expected");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!CASE_FIELDS.contains(field)) {
        throw invalid(path, where + ": unknown key `" + field + "` (name, events, expected)");
      }
    }
    if (!node.path("name").isTextual() || node.get("name").asText().isBlank()) {
      throw invalid(path, where + ": `name` is missing");
    }
    String name = node.get("name").asText();
    where = "case `" + name + "`";
    String events = events(path, where, node.get("events"));
    JsonNode expected = node.get("expected");
    if (expected == null) {
      throw invalid(path, where + ": `expected` is missing (write `expected: []` for no alert)");
    }
    return new RuleTestCase(name, events, expectedLines(path, where, expected));
  }

  private static String events(Path path, String where, JsonNode events)
      throws InvalidTestFileException {
    if (events == null) {
      throw invalid(path, where + ": `events` is missing");
    }
    if (events.isTextual()) {
      return events.asText();
    }
    if (events.isArray()) {
      StringBuilder lines = new StringBuilder();
      for (JsonNode event : events) {
        try {
          lines.append(JSON.writeValueAsString(event)).append('\n');
        } catch (JsonProcessingException e) {
          throw invalid(path, where + ": " + e.getMessage());
        }
      }
      return lines.toString();
    }
    throw invalid(path, where + ": `events` is JSON Lines text (`events: |`) or a list");
  }

  private static List<String> expectedLines(Path path, String where, JsonNode expected)
      throws InvalidTestFileException {
    if (expected.isTextual()) {
      return expected.asText().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
    if (!expected.isArray()) {
      throw invalid(path, where + ": `expected` is a list of alert lines, or `[]` for no alert");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode line : expected) {
      if (!line.isTextual()) {
        throw invalid(
            path,
            where
                + ": an expected alert is a line `KIND {key} message`; quote it, or write"
                + " `expected: |` with one alert per line (a `: ` in a plain YAML value starts a"
                + " mapping)");
      }
      out.add(line.asText().strip());
    }
    return out;
  }

  private static InvalidTestFileException invalid(Path path, String message) {
    return new InvalidTestFileException(path + ": " + message);
  }
}
