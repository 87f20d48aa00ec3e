package io.jk8s.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Several "machines" as network namespaces on this one: {@code <prefix>sw} is an L2 switch (a
 * bridge with 192.168.77.254, which also stands for "outside the cluster"), host {@code i}
 * ({@code <prefix>n<i>}) has eth0 = 192.168.77.1i on it and a pod namespace ({@code <prefix>p<i>})
 * with 10.244.i.2 behind a {@code cni0} bridge at 10.244.i.1, as the CNI bridge plugin would set up.
 * Every namespace runs a busybox httpd on :8080 whose {@code /cgi-bin/ip} answers the peer address
 * it saw. {@link #close()} kills those and deletes every namespace; the caller's namespace is
 * never touched.
 */
final class NetnsHosts implements AutoCloseable {

    static final String SWITCH_IP = "192.168.77.254";

    private final String prefix;
    private final int count;
    private final Path www;
    private final List<String> namespaces = new ArrayList<>();

    NetnsHosts(String prefix, int count) throws IOException {
        this.prefix = prefix;
        this.count = count;
        this.www = Files.createTempDirectory("jk8s-net-www");
        Path cgi = Files.createDirectories(www.resolve("cgi-bin")).resolve("ip");
        // httpd listens dual-stack: REMOTE_ADDR looks like [::ffff:10.244.1.2]
        Files.writeString(cgi, "#!/bin/sh\na=${REMOTE_ADDR#[}; a=${a%]}; a=${a#::ffff:}\n"
                + "printf 'Content-Type: text/plain\\r\\n\\r\\n%s\\n' \"$a\"\n");
        Files.setPosixFilePermissions(cgi, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    static boolean available() {
        return "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/sbin/ip"))
                && Files.isExecutable(Path.of("/usr/bin/busybox")) && Files.isExecutable(Path.of("/usr/sbin/iptables-restore")) && Files.isExecutable(Path.of("/usr/bin/curl"));
    }

    String sw() {
        return prefix + "sw";
    }

    String node(int i) {
        return prefix + "n" + i;
    }

    String pod(int i) {
        return prefix + "p" + i;
    }

    static String nodeIp(int i) {
        return "192.168.77.1" + i;
    }

    static String podIp(int i) {
        return "10.244." + i + ".2";
    }

    static String podCidr(int i) {
        return "10.244." + i + ".0/24";
    }

    Host host(String netns) {
        return new ProcessHost(Optional.of(netns));
    }

    NetnsHosts create() {
        Host root = ProcessHost.current();
        add(root, sw());
        Host sw = host(sw());
        sw.check("ip", "link", "add", "br0", "type", "bridge");
        sw.check("ip", "addr", "add", SWITCH_IP + "/24", "dev", "br0");
        sw.check("ip", "link", "set", "br0", "up");
        serve(sw());
        for (int i = 1; i <= count; i++) {
            add(root, node(i));
            add(root, pod(i));
            Host n = host(node(i));
            sw.check("ip", "link", "add", "port" + i, "type", "veth", "peer", "name", "eth0", "netns", node(i));
            sw.check("ip", "link", "set", "port" + i, "master", "br0", "up");
            n.check("ip", "addr", "add", nodeIp(i) + "/24", "dev", "eth0");
            n.check("ip", "link", "set", "eth0", "up");
            n.check("ip", "link", "add", "cni0", "type", "bridge");
            n.check("ip", "addr", "add", "10.244." + i + ".1/24", "dev", "cni0");
            n.check("ip", "link", "set", "cni0", "up");
            n.check("ip", "link", "add", "veth" + i, "type", "veth", "peer", "name", "eth0", "netns", pod(i));
            n.check("ip", "link", "set", "veth" + i, "master", "cni0", "up");
            Host p = host(pod(i));
            p.check("ip", "addr", "add", podIp(i) + "/24", "dev", "eth0");
            p.check("ip", "link", "set", "eth0", "up");
            p.check("ip", "route", "add", "default", "via", "10.244." + i + ".1");
            serve(node(i));
            serve(pod(i));
        }
        return this;
    }

    private void add(Host root, String ns) {
        root.run("ip", "netns", "del", ns); // left over from a killed run
        root.check("ip", "netns", "add", ns);
        namespaces.add(ns);
        host(ns).check("ip", "link", "set", "lo", "up");
    }

    private void serve(String ns) {
        host(ns).check("busybox", "httpd", "-p", "8080", "-h", www.toString());
    }

    /** GET {@code url} from inside {@code ns}; the body, or the failure as a Result. */
    Host.Result get(String ns, String url) {
        return host(ns).run("curl", "-sS", "-m", "3", url); // busybox-static wget crashes here
    }

    @Override
    public void close() {
        Host root = ProcessHost.current();
        for (String ns : namespaces.reversed()) {
            String pids = root.run("ip", "netns", "pids", ns).output().strip();
            for (String pid : pids.split("\\s+")) {
                if (!pid.isEmpty()) root.run("kill", pid);
            }
            root.run("ip", "netns", "del", ns);
        }
        root.run("rm", "-rf", www.toString());
    }
}
