package io.vigil.testing.docs;

import java.lang.reflect.Constructor;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;

/**
 * The options a Spring Boot component declares: every component of its {@code
 * ConfigurationProperties} records, by the name users write ({@code vigil.delivery.max-attempts}),
 * with its {@code @DefaultValue} or none. Nested records add their components under their own name,
 * a list of records under {@code name[i]}, a map under {@code name.<id>}.
 */
public final class DeclaredProperties {

  private DeclaredProperties() {}

  public static Map<String, Optional<String>> in(String basePackage) {
    var scanner = new ClassPathScanningCandidateComponentProvider(false);
    scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
    Map<String, Optional<String>> properties = new TreeMap<>();
    for (BeanDefinition candidate : scanner.findCandidateComponents(basePackage)) {
      Class<?> type = load(candidate.getBeanClassName());
      ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
      String prefix = annotation.value().isEmpty() ? annotation.prefix() : annotation.value();
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
      Class<?> raw = component.getType();
      DefaultValue value = parameters[i].getAnnotation(DefaultValue.class);
      if (raw.isRecord()) {
        collect(name, raw, into);
      } else if (List.class.isAssignableFrom(raw) && elementRecord(component).isPresent()) {
        collect(name + "[i]", elementRecord(component).get(), into);
      } else if (Map.class.isAssignableFrom(raw)) {
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

  private static Optional<Class<?>> elementRecord(RecordComponent component) {
    if (component.getGenericType() instanceof ParameterizedType list) {
      Type element = list.getActualTypeArguments()[0];
      if (element instanceof Class<?> c && c.isRecord()) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
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
}
