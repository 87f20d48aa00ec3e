package io.jk8s.controllers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real kubectl against a test cluster through a temporary kubeconfig. */
final class KubectlRunner {

    record Result(int exit, String out) {}

    private final Path kubeconfig;

    KubectlRunner(String serverUrl, Path dir) throws IOException {
        kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: test
                  cluster:
                    server: %s
                users:
                - name: test
                  user: {}
                contexts:
                - name: test
                  context: {cluster: test, user: test, namespace: default}
                current-context: test
                """.formatted(serverUrl));
    }

    Result run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                throw new IllegalStateException("kubectl " + String.join(" ", args) + " did not finish");
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
    }
}
