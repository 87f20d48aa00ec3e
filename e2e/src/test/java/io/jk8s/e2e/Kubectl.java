package io.jk8s.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real kubectl binary against a server through its admin kubeconfig. Every run has a
 * timeout; the result carries exit code, stdout and stderr so that assertions can show them.
 */
public final class Kubectl {

    /** The dispatcher that picks kubectl 1.27–1.33 by the server's version. */
    public static final Path DEFAULT_BINARY = Path.of("/usr/bin/kubectl");
    public static final Path KUBECTL_1_27 = Path.of("/usr/lib/google-cloud-sdk/bin/kubectl.1.27");

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Path binary;
    private final Path kubeconfig;
    private final Path cacheDir;
    private final Map<String, String> extraEnv;

    public Kubectl(Path binary, Path kubeconfig, Path cacheDir) {
        this(binary, kubeconfig, cacheDir, Map.of());
    }

    private Kubectl(Path binary, Path kubeconfig, Path cacheDir, Map<String, String> extraEnv) {
        this.binary = binary;
        this.kubeconfig = kubeconfig;
        this.cacheDir = cacheDir;
        this.extraEnv = extraEnv;
    }

    /** The same kubectl with extra environment (e.g. KUBE_EDITOR). */
    public Kubectl withEnv(String name, String value) {
        var env = new java.util.HashMap<>(extraEnv);
        env.put(name, value);
        return new Kubectl(binary, kubeconfig, cacheDir, Map.copyOf(env));
    }

    public Result run(String... args) {
        return run(null, args);
    }

    /** Runs with {@code stdin} as standard input (e.g. for {@code apply -f -}). */
    public Result runWithInput(String stdin, String... args) {
        return run(stdin, args);
    }

    private Result run(String stdin, String... args) {
        ProcessBuilder builder = processBuilder(args);
        try {
            Process process = builder.start();
            CompletableFuture<String> out = readAsync(process.getInputStream());
            CompletableFuture<String> err = readAsync(process.getErrorStream());
            try (var in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                return new Result(commandLine(args), -1, out.getNow(""), err.getNow("") + "\n(kubectl timed out after " + TIMEOUT + ")");
            }
            return new Result(commandLine(args), process.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts a long-running kubectl (e.g. {@code get -w}) whose output lines are collected. */
    public Background start(String... args) {
        try {
            return new Background(commandLine(args), processBuilder(args).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ProcessBuilder processBuilder(String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("KUBECONFIG", kubeconfig.toString());
        // A private discovery cache: a stale cache from another server on the same port would mislead kubectl.
        builder.environment().put("KUBECACHEDIR", cacheDir.toString());
        builder.environment().put("HOME", cacheDir.toString());
        builder.environment().putAll(extraEnv);
        return builder;
    }

    private String commandLine(String... args) {
        return binary.getFileName() + " " + String.join(" ", args);
    }

    private static CompletableFuture<String> readAsync(java.io.InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        }, command -> Thread.ofVirtual().start(command));
    }

    /** Writes {@code yaml} to a file in {@code dir} and returns its path (for {@code -f}). */
    public static Path manifest(Path dir, String name, String yaml) {
        try {
            Files.createDirectories(dir);
            return Files.writeString(dir.resolve(name), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One finished kubectl run. */
    public record Result(String command, int exitCode, String stdout, String stderr) {

        public boolean ok() {
            return exitCode == 0;
        }

        /** What a failure message should show. */
        public String describe() {
            return "$ " + command + "\n[exit " + exitCode + "]\n--- stdout ---\n" + stdout + "--- stderr ---\n" + stderr;
        }

        @Override
        public String toString() {
            return describe();
        }
    }

    /** A kubectl process left running, e.g. a watch; closing kills it. */
    public static final class Background implements AutoCloseable {

        private final String command;
        private final Process process;
        private final StringBuffer stdout = new StringBuffer();
        private final StringBuffer stderr = new StringBuffer();

        Background(String command, Process process) {
            this.command = command;
            this.process = process;
            pump(process.getInputStream(), stdout);
            pump(process.getErrorStream(), stderr);
        }

        private static void pump(java.io.InputStream in, StringBuffer sink) {
            Thread.ofVirtual().start(() -> {
                try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        sink.append(line).append('\n');
                    }
                } catch (IOException e) {
                    // process killed
                }
            });
        }

        public String stdout() {
            return stdout.toString();
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        public String describe() {
            return "$ " + command + (process.isAlive() ? " [running]" : " [exit " + process.exitValue() + "]")
                    + "\n--- stdout ---\n" + stdout + "--- stderr ---\n" + stderr;
        }

        @Override
        public String toString() {
            return describe();
        }

        @Override
        public void close() {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
