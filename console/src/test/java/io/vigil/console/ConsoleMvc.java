package io.vigil.console;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;

import io.vigil.console.security.Role;
import java.util.Map;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/** Requests to the console as one signed-in user, through the real security filter chain. */
public final class ConsoleMvc {

  private final MockMvc mvc;
  private final String username;
  private final Role role;

  private ConsoleMvc(MockMvc mvc, String username, Role role) {
    this.mvc = mvc;
    this.username = username;
    this.role = role;
  }

  public static ConsoleMvc as(WebApplicationContext context, String username, Role role) {
    return new ConsoleMvc(
        MockMvcBuilders.webAppContextSetup(context).apply(springSecurity()).build(),
        username,
        role);
  }

  public MockHttpServletResponse get(String path) throws Exception {
    return perform(MockMvcRequestBuilders.get(path));
  }

  public MockHttpServletResponse post(String path, Map<String, String> params) throws Exception {
    MockHttpServletRequestBuilder request = MockMvcRequestBuilders.post(path).with(csrf());
    params.forEach(request::param);
    return perform(request);
  }

  /** Posts a form and returns the flash attributes its redirect carries (notice, error). */
  public org.springframework.web.servlet.FlashMap postForFlash(
      String path, Map<String, String> params) throws Exception {
    MockHttpServletRequestBuilder request = MockMvcRequestBuilders.post(path).with(csrf());
    params.forEach(request::param);
    return mvc.perform(
            request.with(
                user(username)
                    .authorities(
                        role.impliedAuthorities().stream()
                            .map(SimpleGrantedAuthority::new)
                            .toList())))
        .andReturn()
        .getFlashMap();
  }

  /**
   * Posts a multipart form with one file (as a browser sends an {@code <input type="file">}) and
   * returns the whole result: the response, and the flash attributes of a redirect.
   */
  public org.springframework.test.web.servlet.MvcResult upload(
      String path, String part, String fileName, String content, Map<String, String> params)
      throws Exception {
    org.springframework.test.web.servlet.request.MockMultipartHttpServletRequestBuilder request =
        MockMvcRequestBuilders.multipart(path)
            .file(
                new org.springframework.mock.web.MockMultipartFile(
                    part,
                    fileName,
                    "application/octet-stream",
                    content.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    params.forEach(request::param);
    return mvc.perform(
            request
                .with(csrf())
                .with(
                    user(username)
                        .authorities(
                            role.impliedAuthorities().stream()
                                .map(SimpleGrantedAuthority::new)
                                .toList())))
        .andReturn();
  }

  /** Starts a request and returns its response while it is still open (server-sent events). */
  public MockHttpServletResponse open(String path) throws Exception {
    return mvc.perform(
            MockMvcRequestBuilders.get(path)
                .with(
                    user(username)
                        .authorities(
                            role.impliedAuthorities().stream()
                                .map(SimpleGrantedAuthority::new)
                                .toList())))
        .andReturn()
        .getResponse();
  }

  private MockHttpServletResponse perform(MockHttpServletRequestBuilder request) throws Exception {
    return mvc.perform(
            request.with(
                user(username)
                    .authorities(
                        role.impliedAuthorities().stream()
                            .map(SimpleGrantedAuthority::new)
                            .toList())))
        .andReturn()
        .getResponse();
  }
}
