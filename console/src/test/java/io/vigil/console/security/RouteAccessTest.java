package io.vigil.console.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;

import io.vigil.console.ConsoleTestSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Walks the console's whole route table as an anonymous visitor, a viewer, an analyst and an admin,
 * and checks each route against the role it needs. A route missing from {@link #NEEDS} fails the
 * test: a new page or htmx endpoint is not done until it is given a role here and in the security
 * configuration.
 */
class RouteAccessTest extends ConsoleTestSupport {

  /** Who may reach what, by "METHOD pattern" (ANY: the route takes every method). */
  static final Map<String, Optional<Role>> NEEDS =
      new TreeMap<>(
          Map.ofEntries(
              Map.entry("ANY /error", Optional.empty()),
              Map.entry("GET /login", Optional.empty()),
              Map.entry("GET /", Optional.of(Role.VIEWER)),
              Map.entry("GET /rules", Optional.of(Role.VIEWER)),
              Map.entry("GET /rules/{id}", Optional.of(Role.VIEWER)),
              Map.entry("GET /rules/{id}/versions/{number}", Optional.of(Role.VIEWER)),
              Map.entry("GET /streams", Optional.of(Role.VIEWER)),
              Map.entry("GET /streams/{name}", Optional.of(Role.VIEWER)),
              Map.entry("GET /streams/activity/rates", Optional.of(Role.VIEWER)),
              Map.entry("GET /rules/new", Optional.of(Role.ANALYST)),
              Map.entry("GET /rules/{id}/edit", Optional.of(Role.ANALYST)),
              Map.entry("GET /streams/new", Optional.of(Role.ANALYST)),
              Map.entry("GET /streams/{name}/edit", Optional.of(Role.ANALYST)),
              Map.entry("POST /rules", Optional.of(Role.ANALYST)),
              Map.entry("POST /rules/{id}", Optional.of(Role.ANALYST)),
              Map.entry("POST /rules/check", Optional.of(Role.ANALYST)),
              Map.entry("POST /rules/explain", Optional.of(Role.ANALYST)),
              Map.entry("POST /rules/test", Optional.of(Role.ANALYST)),
              Map.entry("POST /rules/{id}/test", Optional.of(Role.ANALYST)),
              Map.entry("POST /rules/{id}/tests", Optional.of(Role.ANALYST)),
              Map.entry("POST /rules/{id}/tests/{name}/delete", Optional.of(Role.ANALYST)),
              Map.entry("GET /rules/{id}/tests/export", Optional.of(Role.VIEWER)),
              Map.entry("POST /rules/{id}/tests/import", Optional.of(Role.ANALYST)),
              Map.entry("POST /rules/{id}/propose", Optional.of(Role.ANALYST)),
              Map.entry("POST /streams", Optional.of(Role.ANALYST)),
              Map.entry("POST /streams/{name}", Optional.of(Role.ANALYST)),
              Map.entry("GET /rules/{id}/rollout", Optional.of(Role.VIEWER)),
              Map.entry("GET /alerts", Optional.of(Role.VIEWER)),
              Map.entry("GET /alerts/{alertId}", Optional.of(Role.VIEWER)),
              Map.entry("GET /alerts/live", Optional.of(Role.VIEWER)),
              Map.entry("GET /alerts/chart", Optional.of(Role.VIEWER)),
              Map.entry("GET /archive", Optional.of(Role.VIEWER)),
              Map.entry("POST /rules/{id}/approve", Optional.of(Role.ADMIN)),
              Map.entry("POST /rules/{id}/deploy", Optional.of(Role.ADMIN)),
              Map.entry("POST /rules/{id}/rollback", Optional.of(Role.ADMIN)),
              Map.entry("GET /rules/{id}/disable", Optional.of(Role.ADMIN)),
              Map.entry("GET /rules/{id}/delete", Optional.of(Role.ADMIN)),
              Map.entry("POST /rules/{id}/disable", Optional.of(Role.ADMIN)),
              Map.entry("POST /rules/{id}/delete", Optional.of(Role.ADMIN)),
              Map.entry("GET /audit", Optional.of(Role.ADMIN)),
              Map.entry("GET /subscriptions", Optional.of(Role.VIEWER)),
              Map.entry("GET /subscriptions/{id}", Optional.of(Role.VIEWER)),
              Map.entry("GET /subscriptions/new", Optional.of(Role.ADMIN)),
              Map.entry("GET /subscriptions/{id}/edit", Optional.of(Role.ADMIN)),
              Map.entry("POST /subscriptions", Optional.of(Role.ADMIN)),
              Map.entry("POST /subscriptions/{id}", Optional.of(Role.ADMIN)),
              Map.entry("GET /subscriptions/{id}/delete", Optional.of(Role.ADMIN)),
              Map.entry("POST /subscriptions/{id}/delete", Optional.of(Role.ADMIN)),
              Map.entry("POST /subscriptions/{id}/test", Optional.of(Role.ADMIN)),
              Map.entry("GET /silences", Optional.of(Role.VIEWER)),
              Map.entry("POST /silences", Optional.of(Role.ADMIN)),
              Map.entry("GET /silences/{id}/expire", Optional.of(Role.ADMIN)),
              Map.entry("POST /silences/{id}/expire", Optional.of(Role.ADMIN)),
              Map.entry("GET /deliveries/parked", Optional.of(Role.VIEWER)),
              Map.entry("POST /deliveries/{id}/replay", Optional.of(Role.ADMIN)),
              Map.entry("POST /deliveries/parked/replay", Optional.of(Role.ADMIN))));

  @Autowired WebApplicationContext context;

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mappings;

  MockMvc mvc;

  @BeforeEach
  void setUp() {
    mvc = MockMvcBuilders.webAppContextSetup(context).apply(springSecurity()).build();
  }

  List<String> routes() {
    List<String> routes = new ArrayList<>();
    for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
      List<String> methods =
          info.getMethodsCondition().getMethods().isEmpty()
              ? List.of("ANY")
              : info.getMethodsCondition().getMethods().stream().map(RequestMethod::name).toList();
      for (String pattern : info.getPatternValues()) {
        methods.forEach(m -> routes.add(m + " " + pattern));
      }
    }
    return routes;
  }

  @Test
  void everyRouteOfTheConsoleHasTheRoleItNeedsDeclared() {
    assertThat(new TreeSet<>(routes())).isEqualTo(NEEDS.keySet());
  }

  @TestFactory
  Stream<DynamicTest> eachRoleReachesExactlyTheRoutesItsRoleAllows() {
    List<DynamicTest> tests = new ArrayList<>();
    for (String route : routes()) {
      Optional<Role> needed = NEEDS.getOrDefault(route, Optional.of(Role.ADMIN));
      tests.add(DynamicTest.dynamicTest(route + " anonymous", () -> anonymous(route, needed)));
      for (Role role : Role.values()) {
        tests.add(
            DynamicTest.dynamicTest(route + " as " + role, () -> signedIn(route, role, needed)));
      }
    }
    return tests.stream();
  }

  private void anonymous(String route, Optional<Role> needed) throws Exception {
    MockHttpServletResponse response = mvc.perform(request(route)).andReturn().getResponse();
    if (needed.isEmpty()) {
      assertThat(response.getStatus()).as(route).isNotIn(401, 403);
    } else {
      assertThat(response.getStatus()).as(route).isEqualTo(302);
      assertThat(response.getRedirectedUrl()).as(route).endsWith("/login");
    }
  }

  private void signedIn(String route, Role role, Optional<Role> needed) throws Exception {
    MockHttpServletRequestBuilder request =
        request(route)
            .with(
                user(role.name().toLowerCase())
                    .authorities(
                        role.impliedAuthorities().stream()
                            .map(SimpleGrantedAuthority::new)
                            .toList()));
    MockHttpServletResponse response = mvc.perform(request).andReturn().getResponse();
    boolean allowed = needed.isEmpty() || role.compareTo(needed.get()) >= 0;
    if (allowed) {
      assertThat(response.getStatus()).as(route + " as " + role).isNotIn(401, 403);
      assertThat(String.valueOf(response.getRedirectedUrl()))
          .as(route + " as " + role)
          .doesNotEndWith("/login");
    } else {
      assertThat(response.getStatus()).as(route + " as " + role).isEqualTo(403);
    }
  }

  // Path variables get values no item has, so that allowed requests change nothing.
  private static MockHttpServletRequestBuilder request(String route) {
    String[] parts = route.split(" ", 2);
    String path = parts[1].replaceAll("\\{[^}]+}", "no_such_item");
    return switch (parts[0]) {
      case "POST" -> MockMvcRequestBuilders.post(path).with(csrf());
      default -> MockMvcRequestBuilders.get(path);
    };
  }
}
