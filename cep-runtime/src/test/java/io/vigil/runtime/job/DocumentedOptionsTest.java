package io.vigil.runtime.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.runtime.config.Option;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The options table of docs/runtime.md (section Configuration) is what the job declares: the same
 * names, the same defaults, each once.
 */
class DocumentedOptionsTest {

  private static final String HEADER = "| option | default | meaning |";

  /** Option name → default as the table writes it ((none) for an empty default). */
  private static Map<String, String> documented() throws Exception {
    List<String> lines = Files.readAllLines(Path.of("..", "docs", "runtime.md"));
    int start = lines.indexOf(HEADER);
    assertThat(start).as("the options table in docs/runtime.md").isNotNegative();
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = start + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      String[] cells = lines.get(i).split("\\|");
      String name = unquote(cells[1].strip());
      String defaultValue = cells[2].strip();
      assertThat(out.put(name, defaultValue)).as("documented twice: " + name).isNull();
    }
    return out;
  }

  private static String unquote(String cell) {
    return cell.startsWith("`") && cell.endsWith("`") ? cell.substring(1, cell.length() - 1) : cell;
  }

  /** How the table writes a declared default. */
  private static String documentedDefault(Option<?> option) {
    return option.defaultValue().isEmpty() ? "(none)" : "`" + option.defaultValue() + "`";
  }

  @Test
  void everyDeclaredOptionIsDocumentedWithItsDefault() throws Exception {
    Map<String, String> declared = new LinkedHashMap<>();
    for (Option<?> option : JobConfig.options()) {
      declared.put(option.name(), documentedDefault(option));
    }
    declared.put(JobConfig.KAFKA_PROPERTIES_PREFIX + "<name>", "—");
    assertThat(documented()).containsExactlyInAnyOrderEntriesOf(declared);
  }

  @Test
  void everyDeclaredDefaultIsAValidValue() {
    for (Option<?> option : JobConfig.options()) {
      assertThat(option.defaultParsed()).as(option.name()).isNotNull();
    }
  }
}
