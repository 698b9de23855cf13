package io.vigil.alert.egress;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Refuses webhook URLs that would make the service call into its own network (SSRF): only http and
 * https, and every address the host resolves to must be public. Loopback, link-local (which holds
 * the cloud metadata address 169.254.169.254), private, unique-local, carrier-grade NAT, multicast,
 * unspecified, reserved, benchmarking and documentation addresses are refused unless an allow-list
 * entry permits them. IPv6 addresses that carry an IPv4 address are judged by it (NAT64 {@code
 * 64:ff9b::/96}, 6to4 {@code 2002::/16}) or refused (IPv4-mapped and IPv4-compatible, Teredo {@code
 * 2001::/32}, local-use NAT64 {@code 64:ff9b:1::/48}), so that an internal IPv4 host cannot be
 * reached through a translator.
 *
 * <p>It runs when a subscription is saved and again before every call, since DNS answers change.
 * The allow-lists are the webhook options {@code vigil.webhook.allowed-networks} and {@code
 * vigil.webhook.allowed-hosts}.
 */
public class UrlGuard {
  private final List<Cidr> allowedNetworks;
  private final List<String> allowedHosts;
  private final Resolver resolver;

  /** Name resolution, replaceable so that tests can give a host name a chosen address. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  public UrlGuard(List<String> allowedNetworks, List<String> allowedHosts, Resolver resolver) {
    // Blank entries are dropped, not parsed: InetAddress.getByName("") is the loopback address, so
    // an empty VIGIL_WEBHOOK_ALLOWED_NETWORKS must never turn into "127.0.0.1/32 allowed".
    this.allowedNetworks =
        allowedNetworks.stream().filter(n -> !n.isBlank()).map(Cidr::parse).toList();
    this.allowedHosts =
        allowedHosts.stream()
            .filter(h -> !h.isBlank())
            .map(h -> h.trim().toLowerCase(Locale.ROOT))
            .toList();
    this.resolver = resolver;
  }

  /** Returns the parsed URI, or throws {@link UnsafeUrlException} saying why it is refused. */
  public URI check(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new UnsafeUrlException("not a valid URL: " + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new UnsafeUrlException("only http and https URLs are allowed, not '" + scheme + "'");
    }
    if (uri.getRawUserInfo() != null) {
      throw new UnsafeUrlException("credentials in the URL are not allowed");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new UnsafeUrlException("the URL has no host");
    }
    String bareHost = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if (allowedHosts.contains(bareHost.toLowerCase(Locale.ROOT))) {
      return uri;
    }
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(bareHost);
    } catch (UnknownHostException e) {
      throw new UnsafeUrlException("host '" + bareHost + "' does not resolve");
    }
    for (InetAddress address : addresses) {
      String why = internalReason(address);
      if (why != null && allowedNetworks.stream().noneMatch(c -> c.contains(address))) {
        throw new UnsafeUrlException(
            "host '" + bareHost + "' resolves to " + why + " address " + address.getHostAddress());
      }
    }
    return uri;
  }

  /** Why the address is internal (or otherwise not to be called), or null if it is public. */
  static String internalReason(InetAddress a) {
    if (a.isLoopbackAddress()) return "a loopback";
    if (a.isLinkLocalAddress()) return "a link-local (cloud metadata)";
    if (a.isSiteLocalAddress()) return "a private";
    if (a.isAnyLocalAddress()) return "an unspecified";
    if (a.isMulticastAddress()) return "a multicast";
    byte[] b = a.getAddress();
    return a instanceof Inet4Address ? ipv4Reason(b) : ipv6Reason(b);
  }

  private static String ipv4Reason(byte[] b) {
    int first = b[0] & 0xff;
    int second = b[1] & 0xff;
    int third = b[2] & 0xff;
    if (first == 127) return "a loopback";
    if (first == 10 || (first == 172 && (second & 0xf0) == 16) || (first == 192 && second == 168))
      return "a private";
    if (first == 169 && second == 254) return "a link-local (cloud metadata)";
    if (first == 0) return "a 'this network'";
    if (first == 100 && second >= 64 && second < 128) return "a carrier-grade NAT";
    if (first == 192 && second == 0 && third == 0) return "an IETF-reserved";
    if ((first == 192 && second == 0 && third == 2)
        || (first == 198 && second == 51 && third == 100)
        || (first == 203 && second == 0 && third == 113)) return "a documentation";
    if (first == 198 && (second == 18 || second == 19)) return "a benchmarking";
    if (first >= 224 && first < 240) return "a multicast";
    if (first >= 240) return "a reserved";
    return null;
  }

  /**
   * IPv6 forms that reach IPv4 hosts are judged by the IPv4 address they carry (NAT64 {@code
   * 64:ff9b::/96}, 6to4 {@code 2002::/16}); the ones whose IPv4 part cannot be judged, or that only
   * make sense inside a network, are refused outright.
   */
  private static String ipv6Reason(byte[] b) {
    int head = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
    if ((b[0] & 0xfe) == 0xfc) return "a unique-local";
    if (zeros(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff)
      return "an IPv4-mapped IPv6";
    if (zeros(b, 0, 12)) return "an IPv4-compatible IPv6";
    if (head == 0x0064 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
      if (zeros(b, 4, 12)) {
        String inner = embedded(b, 12);
        return inner == null ? null : "a NAT64 (embedding " + inner + " IPv4)";
      }
      return "a local-use NAT64";
    }
    if (head == 0x2002) {
      String inner = embedded(b, 2);
      return inner == null ? null : "a 6to4 (embedding " + inner + " IPv4)";
    }
    if (head == 0x2001 && b[2] == 0 && b[3] == 0) return "a Teredo";
    if (head == 0x2001 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) return "a documentation";
    return null;
  }

  private static boolean zeros(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) return false;
    }
    return true;
  }

  private static String embedded(byte[] b, int offset) {
    String reason = ipv4Reason(new byte[] {b[offset], b[offset + 1], b[offset + 2], b[offset + 3]});
    return reason;
  }

  /** An address block such as 10.0.0.0/8 or fd00::/8. */
  record Cidr(byte[] network, int prefix) {
    static Cidr parse(String text) {
      String[] parts = text.trim().split("/", 2);
      try {
        byte[] net = InetAddress.getByName(parts[0]).getAddress();
        int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : net.length * 8;
        if (prefix < 0 || prefix > net.length * 8) {
          throw new IllegalArgumentException("bad prefix in CIDR '" + text + "'");
        }
        return new Cidr(net, prefix);
      } catch (UnknownHostException | NumberFormatException e) {
        throw new IllegalArgumentException("not a CIDR block: '" + text + "'", e);
      }
    }

    boolean contains(InetAddress address) {
      byte[] a = address.getAddress();
      if (a.length != network.length) return false;
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (a[i] != network[i]) return false;
      }
      int rest = prefix % 8;
      if (rest == 0) return true;
      int mask = (0xff << (8 - rest)) & 0xff;
      return (a[full] & mask) == (network[full] & mask);
    }
  }
}
