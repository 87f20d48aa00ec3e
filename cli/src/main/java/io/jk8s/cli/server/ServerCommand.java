package io.jk8s.cli.server;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code jk8s server}: the control plane and, unless disabled, an agent for this machine. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Run a server: API server with its store, controller manager, scheduler and (unless disabled) an agent for this machine.")
public final class ServerCommand implements Callable<Integer> {

    @Mixin
    ServerOptions options;

    @Option(names = "--disable-agent", description = "Do not run an agent (kubelet, proxy) on this machine.")
    boolean disableAgent;

    @Override
    public Integer call() throws Exception {
        return ServerRunner.run(options, disableAgent ? ServerRunner.Mode.CONTROL_PLANE : ServerRunner.Mode.CONTROL_PLANE_AND_AGENT);
    }
}
