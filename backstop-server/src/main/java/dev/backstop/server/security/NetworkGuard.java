package dev.backstop.server.security;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where Backstop may connect on behalf of a URL someone else gave it (a webhook's URL; a cluster's
 * component endpoints could use the same): a guard against server-side request forgery, i.e. a URL
 * that makes Backstop reach into its own network (the cloud metadata service at 169.254.169.254,
 * a database on localhost, an admin interface on 10.x).
 *
 * <p>The rule: a host is allowed when every address its name resolves to is <em>public</em> or
 * inside a network the operator lists, or when the operator lists the host name itself. Public is
 * everything outside the special-purpose ranges of RFC 6890 and its successors — loopback,
 * "this network", private (RFC 1918), shared/CGNAT, link-local, IETF protocol, documentation,
 * benchmarking, multicast and reserved IPv4; unspecified, loopback, unique local ({@code fc00::/7}),
 * link-local, site-local, multicast, discard, IETF protocol (Teredo among them) and documentation
 * IPv6. IPv6 addresses that embed an IPv4 address (IPv4-mapped {@code ::ffff:0:0/96},
 * IPv4-compatible {@code ::/96}, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}) are judged by
 * the IPv4 address they embed. Every address a name resolves to is judged, not only the first: a
 * client may connect to any of them.
 *
 * <p>Ask before every connection, not only when the URL is accepted: a name may resolve elsewhere
 * later. What this cannot close alone is the window between the check and the connection (DNS
 * rebinding with a zero TTL); the JVM's own cache of successful look-ups ({@code
 * networkaddress.cache.ttl}, 30 s by default) makes the client connect to the addresses judged in
 * almost every case. Redirects must not be followed (the guard never saw their target).
 *
 * <p>Entries of the allowed list are CIDR blocks ({@code 10.0.0.0/8}, {@code fd00::/8}), single
 * addresses ({@code 127.0.0.1}), host names ({@code hooks.internal.example}) or every name under a
 * domain ({@code *.internal.example}). A listed name is trusted whatever it resolves to.
 */
public final class NetworkGuard {

  /** Resolves a host name to every address it has. */
  @FunctionalInterface
  public interface Resolver {
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** The JVM's resolver (system DNS, with the JVM's cache): what an HTTP client uses too. */
    Resolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));
  }

  /** What the guard says of a host. */
  public sealed interface Verdict {
    /** May be connected to. */
    record Allowed() implements Verdict {}

    /**
     * May not, and why, phrased to follow a URL field's name: {@code points to 10.0.0.7, a private
     * address, which <setting> does not allow}.
     */
    record Refused(String reason, boolean unresolved) implements Verdict {
      Refused(String reason) {
        this(reason, false);
      }
    }

    default boolean allowed() {
      return this instanceof Allowed;
    }
  }

  private static final Pattern HOST_NAME = Pattern.compile("(\\*\\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*");

  private static final Map<Cidr, String> SPECIAL_V4 = new LinkedHashMap<>();
  private static final Map<Cidr, String> SPECIAL_V6 = new LinkedHashMap<>();

  static {
    SPECIAL_V4.put(Cidr.parse("0.0.0.0/8"), "a 'this network' address");
    SPECIAL_V4.put(Cidr.parse("10.0.0.0/8"), "a private address");
    SPECIAL_V4.put(Cidr.parse("100.64.0.0/10"), "a shared (carrier-grade NAT) address");
    SPECIAL_V4.put(Cidr.parse("127.0.0.0/8"), "a loopback address");
    SPECIAL_V4.put(Cidr.parse("169.254.0.0/16"), "a link-local address");
    SPECIAL_V4.put(Cidr.parse("172.16.0.0/12"), "a private address");
    SPECIAL_V4.put(Cidr.parse("192.0.0.0/24"), "an IETF protocol address");
    SPECIAL_V4.put(Cidr.parse("192.0.2.0/24"), "a documentation address");
    SPECIAL_V4.put(Cidr.parse("192.88.99.0/24"), "a 6to4 relay address");
    SPECIAL_V4.put(Cidr.parse("192.168.0.0/16"), "a private address");
    SPECIAL_V4.put(Cidr.parse("198.18.0.0/15"), "a benchmarking address");
    SPECIAL_V4.put(Cidr.parse("198.51.100.0/24"), "a documentation address");
    SPECIAL_V4.put(Cidr.parse("203.0.113.0/24"), "a documentation address");
    SPECIAL_V4.put(Cidr.parse("224.0.0.0/4"), "a multicast address");
    SPECIAL_V4.put(Cidr.parse("240.0.0.0/4"), "a reserved address");
    SPECIAL_V6.put(Cidr.parse("::/128"), "the unspecified address");
    SPECIAL_V6.put(Cidr.parse("::1/128"), "a loopback address");
    SPECIAL_V6.put(Cidr.parse("64:ff9b:1::/48"), "a local NAT64 address");
    SPECIAL_V6.put(Cidr.parse("100::/64"), "a discard address");
    SPECIAL_V6.put(Cidr.parse("2001:db8::/32"), "a documentation address");
    SPECIAL_V6.put(Cidr.parse("2001::/23"), "an IETF protocol address");
    SPECIAL_V6.put(Cidr.parse("3fff::/20"), "a documentation address");
    SPECIAL_V6.put(Cidr.parse("fc00::/7"), "a unique local address");
    SPECIAL_V6.put(Cidr.parse("fe80::/10"), "a link-local address");
    SPECIAL_V6.put(Cidr.parse("fec0::/10"), "a site-local address");
    SPECIAL_V6.put(Cidr.parse("ff00::/8"), "a multicast address");
  }

  private static final Cidr IPV4_COMPATIBLE = Cidr.parse("::/96");
  private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
  private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

  private final String setting;
  private final List<Cidr> allowedNetworks;
  private final List<String> allowedHosts;
  private final Resolver resolver;

  private NetworkGuard(String setting, List<Cidr> allowedNetworks, List<String> allowedHosts, Resolver resolver) {
    this.setting = setting;
    this.allowedNetworks = List.copyOf(allowedNetworks);
    this.allowedHosts = List.copyOf(allowedHosts);
    this.resolver = resolver;
  }

  /**
   * Public addresses, and what {@code allowed} lists.
   *
   * @param setting the setting that lists them, named in refusals so that the operator knows where
   *     to look (e.g. {@code backstop.notifications.allowed-networks})
   * @param allowed CIDR blocks, addresses, host names, {@code *.domain}s
   * @throws IllegalArgumentException naming an entry that is none of these
   */
  public static NetworkGuard publicAnd(String setting, List<String> allowed, Resolver resolver) {
    List<Cidr> networks = new ArrayList<>();
    List<String> hosts = new ArrayList<>();
    for (String entry : allowed) {
      String text = Objects.requireNonNull(entry, "entry").strip().toLowerCase(Locale.ROOT);
      if (text.isEmpty()) {
        continue;
      }
      if (text.contains("/") || Cidr.literal(text).isPresent()) {
        try {
          networks.add(Cidr.parse(text));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(setting + ": '" + entry + "' is neither a CIDR block, an IP address nor a host name (" + e.getMessage() + ")");
        }
      } else if (HOST_NAME.matcher(stripDot(text)).matches()) {
        hosts.add(stripDot(text));
      } else {
        throw new IllegalArgumentException(setting + ": '" + entry + "' is neither a CIDR block, an IP address nor a host name");
      }
    }
    return new NetworkGuard(setting, networks, hosts, resolver);
  }

  /** Why the URL may not be called, or empty when it may (the guard as the clients' policies ask it). */
  public Optional<String> refusal(URI url) {
    return check(url) instanceof Verdict.Refused refused ? Optional.of(refused.reason()) : Optional.empty();
  }

  /** The guard for a URL's host (an absolute URL with a host). */
  public Verdict check(URI url) {
    return url.getHost() == null ? new Verdict.Refused("has no host") : check(url.getHost());
  }

  /** The guard for a host: a name or an IP literal (IPv6 in brackets or not). Never throws. */
  public Verdict check(String host) {
    String name = stripDot(host.strip().toLowerCase(Locale.ROOT));
    if (hostListed(name)) {
      return new Verdict.Allowed();
    }
    List<InetAddress> addresses;
    Optional<InetAddress> literal = Cidr.literal(name);
    if (literal.isPresent()) {
      addresses = List.of(literal.get());
    } else {
      try {
        addresses = resolver.resolve(name);
      } catch (UnknownHostException e) {
        return new Verdict.Refused("has a host name that does not resolve: " + name, true);
      } catch (RuntimeException e) {
        return new Verdict.Refused("has a host name that could not be resolved: " + name + " (" + e + ")");
      }
      if (addresses.isEmpty()) {
        return new Verdict.Refused("has a host name that does not resolve: " + name, true);
      }
    }
    for (InetAddress address : addresses) {
      InetAddress normalized = Cidr.normalize(address);
      if (allowedNetworks.stream().anyMatch(network -> network.contains(normalized))) {
        continue;
      }
      Optional<String> special = specialRange(normalized);
      if (special.isPresent()) {
        // A name's address is not shown: the answer would map the internal DNS for whoever asks.
        String shown = literal.isPresent() ? normalized.getHostAddress() : name;
        return new Verdict.Refused("points to " + shown + ", " + special.get() + ", which " + setting + " does not allow");
      }
    }
    return new Verdict.Allowed();
  }

  /**
   * The special-purpose range an address is in, in words ({@code a private address}); empty for a
   * public address. Addresses that embed an IPv4 address are judged by it.
   */
  public static Optional<String> specialRange(InetAddress address) {
    InetAddress normalized = Cidr.normalize(address);
    if (normalized instanceof Inet4Address) {
      return SPECIAL_V4.entrySet().stream().filter(range -> range.getKey().contains(normalized)).map(Map.Entry::getValue).findFirst();
    }
    Optional<String> special =
        SPECIAL_V6.entrySet().stream().filter(range -> range.getKey().contains(normalized)).map(Map.Entry::getValue).findFirst();
    if (special.isPresent()) {
      return special;
    }
    byte[] bytes = normalized.getAddress();
    Optional<InetAddress> embedded = Optional.empty();
    if (normalized instanceof Inet6Address && (IPV4_COMPATIBLE.contains(normalized) || NAT64.contains(normalized))) {
      embedded = Optional.of(Cidr.v4(bytes, 12));
    } else if (SIX_TO_FOUR.contains(normalized)) {
      embedded = Optional.of(Cidr.v4(bytes, 2));
    }
    return embedded.flatMap(v4 -> specialRange(v4).map(range -> "an IPv6 address embedding " + v4.getHostAddress() + " (" + range + ")"));
  }

  private boolean hostListed(String name) {
    for (String host : allowedHosts) {
      if (host.startsWith("*.") ? name.endsWith(host.substring(1)) : name.equals(host)) {
        return true;
      }
    }
    return false;
  }

  private static String stripDot(String host) {
    return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
  }

  @Override
  public String toString() {
    return "NetworkGuard[public addresses, and " + allowedNetworks + " " + allowedHosts + "]";
  }
}
