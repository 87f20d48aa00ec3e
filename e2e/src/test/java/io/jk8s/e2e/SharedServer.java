package io.jk8s.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One jk8s server for every test class that asks for it, started on first use and stopped when
 * the test run ends: starting a JVM per class would eat most of the suite's time budget. Test
 * classes keep apart by working in their own namespaces.
 *
 * <p>Injects {@link Jk8sServer} and a {@link Kubectl} (the version dispatcher) into test methods
 * and lifecycle methods.
 */
public final class SharedServer implements ParameterResolver {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SharedServer.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Jk8sServer.class || type == Kubectl.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Running running = context.getRoot().getStore(NS).getOrComputeIfAbsent(Running.class, k -> Running.start(), Running.class);
        return parameter.getParameter().getType() == Jk8sServer.class ? running.server : running.kubectl;
    }

    /** Work directory for one run, under target/ so that logs stay for inspection. */
    static Path workDir(String prefix) {
        try {
            Path target = Path.of("target", "e2e");
            Files.createDirectories(target);
            return Files.createTempDirectory(target, prefix).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Running(Jk8sServer server, Kubectl kubectl) implements ExtensionContext.Store.CloseableResource {

        static Running start() {
            Path dir = workDir("shared-");
            Jk8sServer server = Jk8sServer.start(dir.resolve("data"));
            System.out.printf("e2e: shared jk8s server ready on %s in %d ms%n", server.url(), server.lastStartup().toMillis());
            return new Running(server, new Kubectl(Kubectl.DEFAULT_BINARY, server.kubeconfig(), dir.resolve("kube-cache")));
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
