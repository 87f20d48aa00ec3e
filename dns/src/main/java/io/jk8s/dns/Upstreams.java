package io.jk8s.dns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds the upstream resolvers of the host from resolv.conf text. */
public final class Upstreams {

    /** systemd-resolved's list of real upstreams, used when /etc/resolv.conf only names its loopback stub. */
    static final Path SYSTEMD_RESOLVED = Path.of("/run/systemd/resolve/resolv.conf");

    private Upstreams() {
    }

    /**
     * The nameservers of {@code resolvConf}, minus {@code self}. When the file lists only loopback
     * stubs (systemd-resolved's 127.0.0.53) and systemd-resolved's own upstream list exists, that list
     * is used instead, so that queries do not take a detour through the stub (the kubelet does the same).
     */
    public static List<InetSocketAddress> fromHost(Path resolvConf, InetSocketAddress self) {
        List<InetSocketAddress> found = read(resolvConf, self);
        if (!found.isEmpty() && found.stream().allMatch(a -> a.getAddress().isLoopbackAddress())
                && Files.isReadable(SYSTEMD_RESOLVED)) {
            List<InetSocketAddress> real = read(SYSTEMD_RESOLVED, self);
            if (!real.isEmpty()) return real;
        }
        return found;
    }

    private static List<InetSocketAddress> read(Path file, InetSocketAddress self) {
        if (!Files.isReadable(file)) return List.of();
        try {
            return parse(Files.readString(file), self);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The {@code nameserver} lines of resolv.conf text as port-53 addresses, skipping {@code self} and junk. */
    public static List<InetSocketAddress> parse(String resolvConf, InetSocketAddress self) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String line : resolvConf.split("\n")) {
            String[] words = line.trim().split("\\s+");
            if (words.length < 2 || !words[0].equals("nameserver")) continue;
            InetAddress address = literal(words[1]);
            if (address == null) continue;
            InetSocketAddress upstream = new InetSocketAddress(address, 53);
            if (!upstream.equals(self) && !out.contains(upstream)) out.add(upstream);
        }
        return out;
    }

    /** Parses an IP literal without ever doing a name lookup; null when it is not one. */
    private static InetAddress literal(String text) {
        String plain = text.contains("%") ? text.substring(0, text.indexOf('%')) : text;
        if (!plain.matches("[0-9a-fA-F.:]+") || !(plain.contains(".") || plain.contains(":"))) return null;
        try {
            return InetAddress.getByName(plain);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
