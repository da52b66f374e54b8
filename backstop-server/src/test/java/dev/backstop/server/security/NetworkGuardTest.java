package dev.backstop.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkGuardTest {

  private static final String SETTING = "backstop.notifications.allowed-networks";

  /** A DNS that answers from a table, so that no test depends on the machine's resolver. */
  private static final NetworkGuard.Resolver DNS =
      host -> {
        Map<String, List<String>> table =
            Map.of(
                "hooks.example.com", List.of("93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"),
                "rebound.example.com", List.of("93.184.215.14", "10.1.2.3"),
                "metadata.example.com", List.of("169.254.169.254"),
                "hooks.internal.example", List.of("10.20.30.40"),
                "localhost", List.of("127.0.0.1", "::1"));
        List<String> addresses = table.get(host);
        if (addresses == null) {
          throw new UnknownHostException(host);
        }
        List<InetAddress> resolved = new java.util.ArrayList<>();
        for (String address : addresses) {
          resolved.add(InetAddress.getByName(address));
        }
        return resolved;
      };

  private final NetworkGuard publicOnly = NetworkGuard.publicAnd(SETTING, List.of(), DNS);

  @Test
  void shouldAllowPublicAddressesAndNamesThatResolveOnlyToThem() {
    assertThat(publicOnly.check(URI.create("https://hooks.example.com/backstop")).allowed()).isTrue();
    assertThat(publicOnly.check("93.184.215.14").allowed()).isTrue();
    assertThat(publicOnly.check("[2606:2800:21f:cb07:6820:80da:af6b:8b2c]").allowed()).isTrue();
  }

  @Test
  void shouldRefuseLoopbackByDefault() {
    assertThat(reason("http://127.0.0.1:8080/")).isEqualTo("points to 127.0.0.1, a loopback address, which " + SETTING + " does not allow");
    assertThat(reason("http://127.8.9.10/")).contains("a loopback address");
    assertThat(reason("http://[::1]:8080/")).isEqualTo("points to 0:0:0:0:0:0:0:1, a loopback address, which " + SETTING + " does not allow");
    assertThat(reason("http://localhost/")).isEqualTo("points to localhost, a loopback address, which " + SETTING + " does not allow");
  }

  @Test
  void shouldRefusePrivateSharedAndLinkLocalIpv4() {
    assertThat(reason("http://10.0.0.7/")).contains("a private address");
    assertThat(reason("http://172.16.0.1/")).contains("a private address");
    assertThat(reason("http://172.31.255.255/")).contains("a private address");
    assertThat(publicOnly.check("172.32.0.1").allowed()).isTrue();
    assertThat(reason("http://192.168.1.1/")).contains("a private address");
    assertThat(reason("http://100.64.0.1/")).contains("carrier-grade NAT");
    assertThat(reason("http://169.254.169.254/latest/meta-data/")).contains("a link-local address");
    assertThat(reason("http://0.0.0.0/")).contains("'this network'");
    assertThat(reason("http://255.255.255.255/")).contains("a reserved address");
    assertThat(reason("http://224.0.0.1/")).contains("a multicast address");
  }

  @Test
  void shouldRefuseUniqueLocalLinkLocalAndOtherSpecialIpv6() {
    assertThat(reason("http://[fc00::1]/")).contains("a unique local address");
    assertThat(reason("http://[fdff:ffff::1]/")).contains("a unique local address");
    assertThat(publicOnly.check("[fe00::1]").allowed()).as("just outside fc00::/7 and fe80::/10").isTrue();
    assertThat(reason("http://[fe80::1]/")).contains("a link-local address");
    assertThat(reason("http://[::]/")).contains("the unspecified address");
    assertThat(reason("http://[2001:db8::1]/")).contains("a documentation address");
    assertThat(reason("http://[ff02::1]/")).contains("a multicast address");
  }

  @Test
  void shouldJudgeIpv6AddressesThatEmbedIpv4ByTheirIpv4Address() throws Exception {
    // IPv4-mapped, in the URL …
    assertThat(reason("http://[::ffff:127.0.0.1]/")).contains("a loopback address");
    assertThat(reason("http://[::ffff:a9fe:a9fe]/")).contains("169.254.169.254").contains("a link-local address");
    // … and as a resolver may hand it over (an Inet6Address holding the mapped bytes)
    byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 0, 0, 1};
    assertThat(NetworkGuard.specialRange(Inet6Address.getByAddress(null, mapped, -1))).contains("a private address");
    // NAT64, 6to4 and IPv4-compatible
    assertThat(reason("http://[64:ff9b::a00:1]/")).contains("embedding 10.0.0.1 (a private address)");
    assertThat(reason("http://[2002:7f00:1::]/")).contains("embedding 127.0.0.1 (a loopback address)");
    assertThat(reason("http://[::7f00:1]/")).contains("embedding 127.0.0.1 (a loopback address)");
    assertThat(publicOnly.check("[64:ff9b::5db8:d70e]").allowed()).as("NAT64 of a public address").isTrue();
  }

  @Test
  void shouldRefuseANameWhenAnyOfItsAddressesIsRefused() {
    assertThat(reason("http://rebound.example.com/")).isEqualTo("points to rebound.example.com, a private address, which " + SETTING + " does not allow");
    assertThat(reason("http://metadata.example.com/")).contains("a link-local address");
  }

  @Test
  void shouldRefuseANameThatDoesNotResolve() {
    assertThat(reason("http://nowhere.example.com/")).isEqualTo("has a host name that does not resolve: nowhere.example.com");
  }

  @Test
  void shouldAllowListedNetworksAndAddressesOnly() {
    NetworkGuard guard = NetworkGuard.publicAnd(SETTING, List.of("127.0.0.1/32", "10.20.0.0/16", "fd00::/8"), DNS);

    assertThat(guard.check("127.0.0.1").allowed()).isTrue();
    assertThat(guard.check("[::ffff:127.0.0.1]").allowed()).as("the mapped form of a listed address").isTrue();
    assertThat(guard.check("127.0.0.2").allowed()).isFalse();
    assertThat(guard.check("[::1]").allowed()).as("IPv6 loopback is not 127.0.0.1/32").isFalse();
    assertThat(guard.check("localhost").allowed()).as("localhost resolves to ::1 too").isFalse();
    assertThat(guard.check("hooks.internal.example").allowed()).isTrue();
    assertThat(guard.check("10.21.0.1").allowed()).isFalse();
    assertThat(guard.check("[fd12::1]").allowed()).isTrue();
    assertThat(guard.check("[fc00::1]").allowed()).isFalse();
  }

  @Test
  void shouldTrustListedHostNamesAndDomains() {
    NetworkGuard guard = NetworkGuard.publicAnd(SETTING, List.of("hooks.internal.example", "*.corp.example"), DNS);

    assertThat(guard.check("hooks.internal.example").allowed()).isTrue();
    assertThat(guard.check("HOOKS.internal.example.").allowed()).isTrue();
    assertThat(guard.check("ci.corp.example").allowed()).isTrue();
    assertThat(guard.check("corp.example").allowed()).as("the domain itself is not under it").isFalse();
    assertThat(guard.check("metadata.example.com").allowed()).isFalse();
  }

  @Test
  void shouldRefuseAnEntryThatIsNeitherBlockAddressNorName() {
    assertThatThrownBy(() -> NetworkGuard.publicAnd(SETTING, List.of("10.0.0.0/33"), DNS)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NetworkGuard.publicAnd(SETTING, List.of("10.0.0.0/x"), DNS)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NetworkGuard.publicAnd(SETTING, List.of("http://x/"), DNS)).hasMessageContaining(SETTING);
  }

  @Test
  void shouldMatchCidrBlocksBitByBit() {
    assertThat(Cidr.parse("172.16.0.0/12").contains(addr("172.31.1.1"))).isTrue();
    assertThat(Cidr.parse("172.16.0.0/12").contains(addr("172.32.0.0"))).isFalse();
    assertThat(Cidr.parse("fc00::/7").contains(addr("fd00::1"))).isTrue();
    assertThat(Cidr.parse("fc00::/7").contains(addr("fe00::1"))).isFalse();
    assertThat(Cidr.parse("10.1.2.3/8")).isEqualTo(Cidr.parse("10.0.0.0/8"));
    assertThat(Cidr.parse("0.0.0.0/0").contains(addr("8.8.8.8"))).isTrue();
    assertThat(Cidr.parse("0.0.0.0/0").contains(addr("2001:4860::8888"))).as("families do not mix").isFalse();
  }

  private String reason(String url) {
    NetworkGuard.Verdict verdict = publicOnly.check(URI.create(url));
    assertThat(verdict).as(url).isInstanceOf(NetworkGuard.Verdict.Refused.class);
    return ((NetworkGuard.Verdict.Refused) verdict).reason();
  }

  private static InetAddress addr(String literal) {
    return Cidr.literal(literal).orElseThrow();
  }
}
