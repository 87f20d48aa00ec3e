package io.jk8s.store.sqlite;

import io.jk8s.store.WriteResult;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Child process for {@link SqliteCrashTest}: writes as fast as it can from many threads and prints
 * {@code ack <revision> <key>} for every write the store acknowledged, until it is killed.
 */
public final class SqliteCrashWriter {

    public static void main(String[] args) {
        // Our stdin is a pipe from the test: end of input means the test JVM is gone, so stop too.
        Thread.ofPlatform().daemon(true).start(() -> {
            try {
                while (System.in.read() >= 0) {
                    // ignore input
                }
            } catch (java.io.IOException ignored) {
                // parent gone
            }
            Runtime.getRuntime().halt(3);
        });
        SqliteStore store = SqliteStore.open(Path.of(args[0]));
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        AtomicInteger next = new AtomicInteger();
        for (int t = 0; t < 16; t++) {
            Thread.ofPlatform().start(() -> {
                while (true) {
                    String key = "/registry/crash/k" + next.incrementAndGet();
                    WriteResult r = store.create(key, ("value of " + key).getBytes(StandardCharsets.UTF_8));
                    if (r instanceof WriteResult.Ok ok) {
                        synchronized (out) {
                            out.println("ack " + ok.kv().modRevision() + " " + key);
                            out.flush();
                        }
                    }
                }
            });
        }
    }
}
