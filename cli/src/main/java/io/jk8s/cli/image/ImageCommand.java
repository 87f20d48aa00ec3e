package io.jk8s.cli.image;

import io.jk8s.cli.server.DataDir;
import io.jk8s.kubelet.image.ImageImporter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code jk8s image}: images on this machine's node. */
@Command(name = "image", mixinStandardHelpOptions = true, description = "Manage the images of this machine's node.",
        subcommands = ImageCommand.Import.class)
public final class ImageCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * {@code jk8s image import FILE.tar}: loads an OCI or docker archive into the node's containerd
     * ({@code k8s.io} namespace, the one the kubelet uses), so pods can run it with no registry.
     */
    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Import an OCI or docker image archive (docker save, skopeo copy oci-archive:) into this node's containerd.")
    public static final class Import implements Callable<Integer> {

        @Parameters(paramLabel = "FILE.tar", description = "the image archive")
        Path archive;

        @Option(names = "--data-dir", paramLabel = "DIR",
                description = "data directory of the jk8s server/agent on this machine (default: /var/lib/jk8s as root, ~/.jk8s otherwise)")
        Path dataDir;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (!Files.isRegularFile(archive)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "no such file: " + archive);
            }
            DataDir dir = new DataDir(dataDir != null ? dataDir : DataDir.defaultRoot());
            Path socket = containerdSocket(dir);
            if (!Files.exists(socket)) {
                spec.commandLine().getErr().println("jk8s image import: no containerd socket at " + socket
                        + "; is `jk8s server` (with its agent) running with this --data-dir?");
                return 1;
            }
            List<String> names = ImageImporter.importArchive(Path.of("/usr/bin/ctr"), socket, archive);
            if (names.isEmpty()) {
                spec.commandLine().getErr().println("jk8s image import: " + archive + " held no named image"
                        + " (an OCI archive needs a ref name, e.g. skopeo copy ... oci-archive:FILE.tar:NAME:TAG)");
                return 1;
            }
            names.forEach(n -> spec.commandLine().getOut().println("imported " + n));
            return 0;
        }
    }

    /** Where the agent's supervised containerd listens (see NodeRuntime). */
    static Path containerdSocket(DataDir dir) {
        return dir.agent().resolve("containerd/containerd.sock");
    }
}
