package io.jk8s.cli.server;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code jk8s apiserver}: the API server and its store alone, like kube-apiserver. */
@Command(name = "apiserver", mixinStandardHelpOptions = true,
        description = "Run only the API server (with its store).")
public final class ApiServerCommand implements Callable<Integer> {

    @Mixin
    ServerOptions options;

    @Override
    public Integer call() throws Exception {
        return ServerRunner.run(options, ServerRunner.Mode.API_SERVER_ONLY);
    }
}
