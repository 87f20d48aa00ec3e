package io.jk8s.cli.server;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code jk8s server}: the control plane and, unless disabled, an agent for this machine. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Run a server: API server with its store (and, later, controllers, scheduler and a local agent).")
public final class ServerCommand implements Callable<Integer> {

    @Mixin
    ServerOptions options;

    @Option(names = "--disable-agent", description = "Do not run an agent (kubelet, proxy) on this machine.")
    boolean disableAgent;

    @Override
    public Integer call() throws Exception {
        String agentNote = disableAgent
                ? "agent: not started (--disable-agent)"
                : "agent: not started (the agent is not part of this build yet)";
        return ServerRunner.run(options, agentNote);
    }
}
