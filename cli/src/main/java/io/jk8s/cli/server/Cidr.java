package io.jk8s.cli.server;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 network in CIDR notation, e.g. {@code 10.96.0.0/12}. */
public record Cidr(InetAddress network, int prefixLength) {

    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a CIDR (want ADDRESS/PREFIX): " + text);
        }
        String address = text.substring(0, slash);
        if (!address.contains(":") && !address.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
            throw new IllegalArgumentException("not an IP address in CIDR " + text);
        }
        try {
            InetAddress network = InetAddress.getByName(address);
            int prefix = Integer.parseInt(text.substring(slash + 1));
            if (prefix < 0 || prefix > network.getAddress().length * 8) {
                throw new IllegalArgumentException("prefix out of range in " + text);
            }
            return new Cidr(network, prefix);
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("not a CIDR: " + text, e);
        }
    }

    /** The network address plus {@code offset}, e.g. offset 1 of 10.96.0.0/12 is 10.96.0.1. */
    public String address(long offset) {
        byte[] bytes = network.getAddress();
        BigInteger value = new BigInteger(1, bytes).add(BigInteger.valueOf(offset));
        byte[] raw = value.toByteArray();
        byte[] out = new byte[bytes.length];
        int copy = Math.min(raw.length, out.length);
        System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy);
        try {
            return InetAddress.getByAddress(out).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
