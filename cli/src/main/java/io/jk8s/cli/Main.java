package io.jk8s.cli;

import io.jk8s.cli.components.ControllerManagerCommand;
import io.jk8s.cli.components.HollowNodesCommand;
import io.jk8s.cli.components.SchedulerCommand;
import io.jk8s.cli.server.ApiServerCommand;
import io.jk8s.cli.server.ServerCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code jk8s} command: one launcher with a sub-command per component, like k3s. */
@Command(name = "jk8s", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Kubernetes, written in Java.",
        subcommands = {ServerCommand.class, ApiServerCommand.class, SchedulerCommand.class,
                ControllerManagerCommand.class, HollowNodesCommand.class, io.jk8s.cli.image.ImageCommand.class,
                io.jk8s.cli.join.TokenCommand.class, io.jk8s.cli.join.AgentCommand.class,
                io.jk8s.cli.server.ProxyCleanupCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command tree; tests execute it without exiting the JVM. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setExecutionExceptionHandler((e, cli, parsed) -> {
            // Start-up failures (port in use, unreadable data dir) are for the user, not a stack trace.
            cli.getErr().println("jk8s: " + describe(e));
            if (Boolean.getBoolean("jk8s.debug")) {
                e.printStackTrace(cli.getErr());
            }
            return 1;
        });
    }

    private static String describe(Throwable e) {
        StringBuilder message = new StringBuilder(String.valueOf(e.getMessage() != null ? e.getMessage() : e));
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            message.append(": ").append(cause.getMessage() != null ? cause.getMessage() : cause);
        }
        return message.toString();
    }

    @Override
    public void run() {
        // No sub-command: show what there is.
        spec.commandLine().usage(System.out);
    }
}
