package io.jk8s.cli;

import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;

import java.net.http.HttpClient;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * fabric8's JDK HTTP client with its callbacks (response bodies, watch streams) on virtual threads. fabric8 gives
 * each client a cached pool of platform threads, which grows to one thread per concurrent request: the agent had 16
 * of them (~100 KB of stack each) after 30 pods started, idle until they time out a minute later.
 */
public final class VirtualThreadHttpClientFactory extends JdkHttpClientFactory {

    /** Before JDK 24 a virtual thread blocking inside a monitor pins its carrier; keep fabric8's pool there. */
    public static boolean supported() {
        return Runtime.version().feature() >= 24;
    }

    /** An executor that starts a virtual thread per task, named after {@code name}. */
    public static Executor executor(String name) {
        return Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(name, 0).factory());
    }

    @Override
    protected HttpClient.Builder createNewHttpClientBuilder() {
        return supported() ? HttpClient.newBuilder().executor(executor("api-http-")) : super.createNewHttpClientBuilder();
    }
}
