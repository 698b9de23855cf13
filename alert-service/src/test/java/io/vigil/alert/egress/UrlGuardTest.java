package io.vigil.alert.egress;

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

  /** The address given as 16 raw bytes, so that the JDK cannot turn it into an IPv4 address. */
  private static InetAddress v6(String text) throws Exception {
    return InetAddress.getByAddress(text, InetAddress.getByName(text).getAddress());
  }

  private static InetAddress raw16(int... bytes) throws Exception {
    byte[] b = new byte[16];
    for (int i = 0; i < 16; i++) {
      b[i] = (byte) bytes[i];
    }
    return java.net.Inet6Address.getByAddress(null, b, -1);
  }

  @Test
  void ipv6FormsThatCarryAnInternalIpv4AddressAreRefused() throws Exception {
    assertThat(UrlGuard.internalReason(v6("64:ff9b::a00:1"))).contains("NAT64", "private");
    assertThat(UrlGuard.internalReason(v6("64:ff9b::a9fe:a9fe"))).contains("NAT64", "link-local");
    assertThat(UrlGuard.internalReason(v6("64:ff9b::7f00:1"))).contains("NAT64", "loopback");
    assertThat(UrlGuard.internalReason(v6("64:ff9b:1::a00:1"))).contains("local-use NAT64");
    assertThat(UrlGuard.internalReason(v6("2002:c0a8:101::1"))).contains("6to4", "private");
    assertThat(UrlGuard.internalReason(v6("2002:a9fe:a9fe::1"))).contains("6to4", "link-local");
    assertThat(UrlGuard.internalReason(v6("2001:0:4136:e378:8000:63bf:3fff:fdd2")))
        .contains("Teredo");
    // ::ffff:10.0.0.1 and ::10.0.0.1 as 16 bytes (the JDK would parse the text to IPv4).
    assertThat(
            UrlGuard.internalReason(raw16(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1)))
        .contains("IPv4-mapped");
    assertThat(UrlGuard.internalReason(raw16(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 93, 184, 216, 34)))
        .contains("IPv4-compatible");
    // Through the whole check, with the URL's literal address.
    UrlGuard guard = guard(List.of());
    assertThatThrownBy(() -> guard.check("http://[64:ff9b::a00:1]/hook"))
        .hasMessageContaining("NAT64");
    assertThatThrownBy(() -> guard.check("http://[2002:a00:1::1]/hook"))
        .hasMessageContaining("6to4");
    assertThatThrownBy(() -> guard.check("http://[2001::1]/hook")).hasMessageContaining("Teredo");
    assertThatThrownBy(() -> guard.check("http://[::ffff:10.0.0.1]/hook"))
        .isInstanceOf(UnsafeUrlException.class);
  }

  @Test
  void translatorsToAPublicIpv4AddressPass() throws Exception {
    assertThat(UrlGuard.internalReason(v6("64:ff9b::5db8:d822"))).isNull(); // 93.184.216.34
    assertThat(UrlGuard.internalReason(v6("2002:5db8:d822::1"))).isNull();
    assertThat(UrlGuard.internalReason(v6("2606:4700::1111"))).isNull();
  }

  @Test
  void documentationAndBenchmarkingRangesAreRefused() throws Exception {
    for (String address :
        List.of("192.0.2.10", "198.51.100.7", "203.0.113.200", "198.18.0.1", "240.0.0.1")) {
      assertThat(UrlGuard.internalReason(InetAddress.getByName(address))).as(address).isNotNull();
    }
    assertThat(UrlGuard.internalReason(v6("2001:db8::1"))).contains("documentation");
    assertThat(UrlGuard.internalReason(v6("64:ff9b::c000:20a"))).contains("documentation");
    assertThatThrownBy(() -> guard(List.of()).check("http://203.0.113.9/hook"))
        .hasMessageContaining("documentation");
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
