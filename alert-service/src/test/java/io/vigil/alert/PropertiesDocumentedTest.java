package io.vigil.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;

/**
 * The property tables in {@code docs/alerts.md} and {@code docs/archive.md} are the service's
 * declared options: every {@code vigil.*} property of a {@code @ConfigurationProperties} record is
 * documented, nothing documented is missing from the code, and the documented default is the
 * declared one.
 */
class PropertiesDocumentedTest {

  private static final List<Path> DOCS = List.of(docs("alerts.md"), docs("archive.md"));
  private static final Pattern CODE = Pattern.compile("`([^`]+)`");

  @Test
  void everyDeclaredPropertyIsDocumentedWithItsDefault() throws IOException {
    Map<String, Optional<String>> declared = declared();
    Map<String, String> documented = documented();

    assertThat(documented.keySet()).as("documented in %s", DOCS).containsAll(declared.keySet());
    assertThat(declared.keySet()).as("declared in the code").containsAll(documented.keySet());
    declared.forEach(
        (name, value) ->
            assertThat(normalize(documented.get(name)))
                .as("documented default of %s", name)
                .isEqualTo(value.map(PropertiesDocumentedTest::normalize).orElse("none")));
  }

  private static Map<String, Optional<String>> declared() {
    var scanner = new ClassPathScanningCandidateComponentProvider(false);
    scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
    Map<String, Optional<String>> properties = new TreeMap<>();
    for (BeanDefinition candidate : scanner.findCandidateComponents("io.vigil.alert")) {
      Class<?> type = load(candidate.getBeanClassName());
      String prefix = type.getAnnotation(ConfigurationProperties.class).value();
      if (type.isRecord()) {
        collect(prefix, type, properties);
      }
    }
    return properties;
  }

  private static void collect(String prefix, Class<?> type, Map<String, Optional<String>> into) {
    RecordComponent[] components = type.getRecordComponents();
    // @DefaultValue applies to parameters: it is found on the canonical constructor's.
    Parameter[] parameters = canonicalConstructor(type, components).getParameters();
    for (int i = 0; i < components.length; i++) {
      RecordComponent component = components[i];
      String name = prefix + "." + kebab(component.getName());
      DefaultValue value = parameters[i].getAnnotation(DefaultValue.class);
      if (component.getType().isRecord()) {
        collect(name, component.getType(), into);
      } else if (Map.class.isAssignableFrom(component.getType())
          && component.getGenericType() instanceof ParameterizedType) {
        into.put(name + ".<id>", Optional.empty());
      } else {
        into.put(
            name,
            value == null
                ? Optional.empty()
                : Optional.of(value.value().length == 0 ? "" : String.join(",", value.value())));
      }
    }
  }

  /**
   * Table rows whose first cell names properties: {@code `vigil.a.b` / `c`} stands for {@code
   * vigil.a.b} and {@code vigil.a.c}; the default cell lists their defaults in the same order.
   */
  private static Map<String, String> documented() throws IOException {
    Map<String, String> properties = new TreeMap<>();
    for (Path doc : DOCS) {
      for (String line : Files.readAllLines(doc)) {
        if (!line.startsWith("| `vigil.")) {
          continue;
        }
        String[] cells = line.split("\\|");
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
      if (name.startsWith("vigil.")) {
        parent = name.substring(0, name.lastIndexOf('.') + 1);
        names.add(name);
      } else if (!name.isEmpty()) {
        names.add(parent + name);
      }
    }
    return names;
  }

  /** "empty", "empty: archive off", "" and an empty list are one default; "none…" is no default. */
  private static String normalize(String text) {
    String value = text.replace("`", "").replace("*", "").trim();
    String lower = value.toLowerCase(Locale.ROOT);
    if (lower.isEmpty() || lower.startsWith("empty")) {
      return "";
    }
    if (lower.startsWith("none")) {
      return "none";
    }
    return value;
  }

  private static Constructor<?> canonicalConstructor(Class<?> type, RecordComponent[] components) {
    try {
      return type.getDeclaredConstructor(
          Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path docs(String file) {
    Path here = Path.of("").toAbsolutePath();
    Path candidate = here.resolve("docs").resolve(file);
    return Files.exists(candidate) ? candidate : here.getParent().resolve("docs").resolve(file);
  }
}
