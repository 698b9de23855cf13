package io.vigil.alert.delivery.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class UrlGuardTest {
  /** A resolver that answers from a fixed table, as a hostile DNS server might. */
  private static UrlGuard guard(List<String> allowedNetworks) {
    return new UrlGuard(
        allowedNetworks,
        List.of(),
        host ->
            switch (host) {
              case "hooks.example.com" ->
                  new InetAddress[] {InetAddress.getByName("93.184.216.34")};
              case "sneaky.example.com" ->
                  new InetAddress[] {
                    InetAddress.getByName("93.184.216.34"), InetAddress.getByName("10.0.0.5")
                  };
              case "metadata.google.internal" ->
                  new InetAddress[] {InetAddress.getByName("169.254.169.254")};
              default -> InetAddress.getAllByName(host);
            });
  }

  @Test
  void publicHttpAndHttpsUrlsPass() {
    assertThat(guard(List.of()).check("https://hooks.example.com/vigil").getHost())
        .isEqualTo("hooks.example.com");
    assertThat(guard(List.of()).check("http://93.184.216.34:8080/x").getPort()).isEqualTo(8080);
  }

  @Test
  void internalAddressesAreRefusedAfterResolution() {
    UrlGuard guard = guard(List.of());
    assertThatThrownBy(() -> guard.check("http://127.0.0.1/hook")).hasMessageContaining("loopback");
    assertThatThrownBy(() -> guard.check("http://localhost:8080/hook"))
        .hasMessageContaining("loopback");
    assertThatThrownBy(() -> guard.check("http://[::1]/hook")).hasMessageContaining("loopback");
    assertThatThrownBy(() -> guard.check("http://metadata.google.internal/computeMetadata/v1/"))
        .hasMessageContaining("link-local");
    assertThatThrownBy(() -> guard.check("http://172.16.3.4/")).hasMessageContaining("private");
    assertThatThrownBy(() -> guard.check("http://100.100.100.200/"))
        .hasMessageContaining("carrier-grade NAT");
    assertThatThrownBy(() -> guard.check("http://[fd12::1]/")).hasMessageContaining("unique-local");
    assertThatThrownBy(() -> guard.check("http://0.0.0.0/")).isInstanceOf(UnsafeUrlException.class);
    // One internal address among public ones is enough to refuse (the client may pick either).
    assertThatThrownBy(() -> guard.check("https://sneaky.example.com/"))
        .hasMessageContaining("10.0.0.5");
  }

  @Test
  void otherSchemesAndCredentialsAreRefused() {
    UrlGuard guard = guard(List.of());
    assertThatThrownBy(() -> guard.check("ftp://hooks.example.com/"))
        .hasMessageContaining("only http and https");
    assertThatThrownBy(() -> guard.check("gopher://hooks.example.com/"))
        .isInstanceOf(UnsafeUrlException.class);
    assertThatThrownBy(() -> guard.check("https://user:pw@hooks.example.com/"))
        .hasMessageContaining("credentials");
  }

  @Test
  void theAllowListPermitsChosenInternalNetworksOnly() {
    UrlGuard guard = guard(List.of("127.0.0.0/8", "10.1.0.0/16"));
    assertThat(guard.check("http://127.0.0.1:1234/hook").getPort()).isEqualTo(1234);
    assertThat(guard.check("http://10.1.200.3/hook").getHost()).isEqualTo("10.1.200.3");
    assertThatThrownBy(() -> guard.check("http://10.2.0.1/hook")).hasMessageContaining("private");
  }

  @Test
  void blankAllowListEntriesFromAnEmptyEnvironmentVariableAllowNothing() {
    // InetAddress.getByName("") is the loopback address: a blank entry must not become a CIDR.
    UrlGuard guard = new UrlGuard(List.of("", " "), List.of(""), InetAddress::getAllByName);
    assertThatThrownBy(() -> guard.check("http://127.0.0.1/hook")).hasMessageContaining("loopback");
  }
}
