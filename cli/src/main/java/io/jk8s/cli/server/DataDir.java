package io.jk8s.cli.server;

import java.nio.file.Path;

/**
 * Layout of the data directory, as in k3s: {@code server/} for the control plane (store, TLS),
 * {@code agent/} for the node, {@code admin.kubeconfig} at the top.
 */
public record DataDir(Path root) {

    public DataDir {
        root = root.toAbsolutePath().normalize();
    }

    /** {@code /var/lib/jk8s} for root, else {@code ~/.jk8s}, so that a user can try jk8s without sudo. */
    public static Path defaultRoot() {
        boolean root = "root".equals(System.getProperty("user.name"));
        return root ? Path.of("/var/lib/jk8s") : Path.of(System.getProperty("user.home"), ".jk8s");
    }

    public Path tls() { return root.resolve("server/tls"); }
    public Path sqliteDatabase() { return root.resolve("server/db/state.db"); }
    public Path adminKubeconfig() { return root.resolve("admin.kubeconfig"); }
    public Path agent() { return root.resolve("agent"); }
}
