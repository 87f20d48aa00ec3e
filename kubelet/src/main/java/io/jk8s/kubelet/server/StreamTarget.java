package io.jk8s.kubelet.server;

import io.fabric8.kubernetes.api.model.Pod;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an {@code /exec}, {@code /attach} or {@code /portForward} request names, from upstream's
 * paths ({@code /exec/{namespace}/{pod}[/{uid}]/{container}}, {@code /portForward/{namespace}/{pod}[/{uid}]})
 * and query ({@code command} repeated, {@code stdin}/{@code stdout}/{@code stderr}/{@code tty}
 * as {@code 1} or {@code true}, {@code port} repeated).
 */
record StreamTarget(String namespace, String pod, Optional<String> uid, String container, List<String> command,
                    boolean stdin, boolean stdout, boolean stderr, boolean tty, List<Integer> ports) {

    static StreamTarget parse(String kind, List<String> path, Map<String, List<String>> query) {
        boolean portForward = kind.equals("portForward");
        int min = portForward ? 3 : 4;
        if (path.size() < min || path.size() > min + 1) {
            throw RequestFailure.notFound("404 page not found");
        }
        String namespace = path.get(1);
        String pod = path.get(2);
        Optional<String> uid = path.size() == min + 1 ? Optional.of(path.get(3)) : Optional.empty();
        String container = portForward ? "" : path.getLast();
        if (portForward) {
            return new StreamTarget(namespace, pod, uid, container, List.of(), false, false, false, false, ports(query));
        }
        // Upstream's kubelet reads input/output/error; the stdin/stdout/stderr spellings are accepted too.
        boolean stdin = LogOptions.flag(query, "input") || LogOptions.flag(query, "stdin");
        boolean stdout = LogOptions.flag(query, "output") || LogOptions.flag(query, "stdout");
        boolean stderr = LogOptions.flag(query, "error") || LogOptions.flag(query, "stderr");
        boolean tty = LogOptions.flag(query, "tty");
        if (!stdin && !stdout && !stderr) {
            throw RequestFailure.badRequest("you must specify at least 1 of stdin, stdout, stderr");
        }
        // With a terminal, stderr is merged into stdout (upstream drops the separate stream).
        stderr = stderr && !tty;
        List<String> command = query.getOrDefault("command", List.of());
        if (kind.equals("exec") && command.isEmpty()) {
            throw RequestFailure.badRequest("command: at least one command is required");
        }
        return new StreamTarget(namespace, pod, uid, container, command, stdin, stdout, stderr, tty, List.of());
    }

    /** A request that names a pod UID is for that instance only. */
    void checkUid(Pod found) {
        if (uid.isPresent() && !uid.get().equals(found.getMetadata().getUid())) {
            throw RequestFailure.notFound("pod \"" + pod + "\" with UID " + uid.get() + " does not exist");
        }
    }

    private static List<Integer> ports(Map<String, List<String>> query) {
        List<Integer> ports = new ArrayList<>();
        for (String value : query.getOrDefault("port", List.of())) {
            for (String part : value.split(",")) {
                try {
                    int port = Integer.parseInt(part.trim());
                    if (port < 1 || port > 65535) {
                        throw new NumberFormatException();
                    }
                    ports.add(port);
                } catch (NumberFormatException e) {
                    throw RequestFailure.badRequest("port: invalid port \"" + part + "\"");
                }
            }
        }
        return ports;
    }
}
