package dev.backstop.server.security;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A block of IP addresses, {@code 10.0.0.0/8} or {@code fc00::/7}; a single address is a block of
 * one ({@code /32}, {@code /128}). IPv4-mapped IPv6 addresses ({@code ::ffff:10.0.0.1}) are the
 * IPv4 addresses they map, in blocks and in {@link #contains}. Parsing never touches DNS.
 *
 * @param network the block's first address (host bits zero)
 * @param prefixLength how many leading bits every address of the block shares
 */
public record Cidr(InetAddress network, int prefixLength) {

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  public Cidr {
    Objects.requireNonNull(network, "network");
    network = normalize(network);
    int bits = network.getAddress().length * 8;
    if (prefixLength < 0 || prefixLength > bits) {
      throw new IllegalArgumentException("prefix length must be within 0.." + bits + ", was " + prefixLength);
    }
    network = masked(network, prefixLength);
  }

  /**
   * Parses {@code address/prefix} or a single address. IPv4 in dotted-quad form only (no {@code
   * 127.1}, no decimal or hex forms).
   *
   * @throws IllegalArgumentException when it is neither
   */
  public static Cidr parse(String text) {
    String trimmed = text.strip();
    int slash = trimmed.indexOf('/');
    String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
    InetAddress parsed = literal(address).orElseThrow(() -> new IllegalArgumentException("not an IP address or CIDR block: " + text));
    int bits = parsed.getAddress().length * 8;
    int prefix;
    try {
      prefix = slash < 0 ? bits : Integer.parseInt(trimmed.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a CIDR prefix length: " + text);
    }
    if (parsed instanceof Inet4Address && address.contains(":")) {
      // ::ffff:a.b.c.d/n: the prefix counts IPv6 bits; as an IPv4 block it is 96 bits shorter
      prefix -= 96;
    }
    return new Cidr(parsed, prefix);
  }

  /** Whether the text is an IP literal (IPv4 dotted quad or IPv6, brackets allowed); no DNS. */
  static java.util.Optional<InetAddress> literal(String text) {
    String address = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    if (!IPV4.matcher(address).matches() && !address.contains(":")) {
      return java.util.Optional.empty();
    }
    if (address.contains("%")) {
      return java.util.Optional.empty(); // zone ids are local to a host: never in settings or URLs
    }
    try {
      // A literal is parsed, never looked up.
      return java.util.Optional.of(normalize(InetAddress.getByName(address)));
    } catch (UnknownHostException | IllegalArgumentException e) {
      return java.util.Optional.empty();
    }
  }

  public boolean contains(InetAddress address) {
    byte[] candidate = normalize(address).getAddress();
    byte[] block = network.getAddress();
    if (candidate.length != block.length) {
      return false;
    }
    return java.util.Arrays.equals(masked(candidate, prefixLength), block);
  }

  /** The IPv4 address an IPv4-mapped IPv6 address maps; any other address as it is. */
  static InetAddress normalize(InetAddress address) {
    if (address instanceof Inet6Address) {
      byte[] bytes = address.getAddress();
      boolean mapped = bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
      for (int i = 0; i < 10 && mapped; i++) {
        mapped = bytes[i] == 0;
      }
      if (mapped) {
        return v4(bytes, 12);
      }
    }
    return address;
  }

  static InetAddress v4(byte[] bytes, int offset) {
    try {
      return InetAddress.getByAddress(new byte[] {bytes[offset], bytes[offset + 1], bytes[offset + 2], bytes[offset + 3]});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // four bytes are always an address
    }
  }

  private static InetAddress masked(InetAddress address, int prefixLength) {
    try {
      return InetAddress.getByAddress(masked(address.getAddress(), prefixLength));
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] masked(byte[] bytes, int prefixLength) {
    byte[] result = bytes.clone();
    for (int i = 0; i < result.length; i++) {
      int keep = Math.max(0, Math.min(8, prefixLength - i * 8));
      result[i] = (byte) (result[i] & (0xff << (8 - keep)));
    }
    return result;
  }

  @Override
  public String toString() {
    return network.getHostAddress() + "/" + prefixLength;
  }
}
