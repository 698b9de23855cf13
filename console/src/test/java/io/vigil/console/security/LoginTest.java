package io.vigil.console.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import io.vigil.console.ConsoleTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/** Sign-in with configured users, throttling, CSRF and the security headers. */
class LoginTest extends ConsoleTestSupport {

  @Autowired WebApplicationContext context;
  MockMvc mvc;

  @BeforeEach
  void setUp() {
    mvc = MockMvcBuilders.webAppContextSetup(context).apply(springSecurity()).build();
  }

  private MockHttpServletResponse signIn(String user, String password, String address)
      throws Exception {
    return mvc.perform(
            post("/login")
                .param("username", user)
                .param("password", password)
                .with(csrf())
                .with(
                    r -> {
                      r.setRemoteAddr(address);
                      return r;
                    }))
        .andReturn()
        .getResponse();
  }

  @Test
  void aConfiguredUserSignsInWithTheirPasswordAndLandsOnTheRules() throws Exception {
    MockHttpServletResponse response = signIn("analyst", "analyst-pass", "10.0.0.1");
    assertThat(response.getRedirectedUrl()).endsWith("/rules");
  }

  @Test
  void aWrongPasswordIsRefused() throws Exception {
    assertThat(signIn("viewer", "nope", "10.0.0.2").getRedirectedUrl()).endsWith("/login?error");
  }

  @Test
  void afterTooManyFailuresEvenTheRightPasswordIsRefusedForAWhile() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(signIn("admin2", "wrong", "10.0.0.3").getRedirectedUrl()).endsWith("/login?error");
    }
    assertThat(signIn("admin2", "admin2-pass", "10.0.0.4").getRedirectedUrl())
        .endsWith("/login?locked");
  }

  @Test
  void anAddressWithTooManyFailuresIsRefusedForEveryUser() throws Exception {
    for (int i = 0; i < 3; i++) {
      signIn("nobody" + i, "wrong", "10.0.0.5");
    }
    assertThat(signIn("viewer", "viewer-pass", "10.0.0.5").getRedirectedUrl())
        .endsWith("/login?locked");
  }

  @Test
  void aFormPostWithoutTheCsrfTokenIsRefused() throws Exception {
    int status =
        mvc.perform(post("/login").param("username", "viewer").param("password", "viewer-pass"))
            .andReturn()
            .getResponse()
            .getStatus();
    assertThat(status).isEqualTo(403);
  }

  @Test
  void pagesCarryAContentSecurityPolicyWithoutInlineScripts() throws Exception {
    MockHttpServletResponse response = mvc.perform(get("/login")).andReturn().getResponse();
    assertThat(response.getHeader("Content-Security-Policy"))
        .contains("script-src 'self'")
        .doesNotContain("unsafe-inline")
        .doesNotContain("unsafe-eval");
    assertThat(response.getHeader("X-Frame-Options")).isEqualTo("DENY");
    assertThat(response.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(response.getContentAsString()).doesNotContain("<script>").contains("_csrf");
  }
}
