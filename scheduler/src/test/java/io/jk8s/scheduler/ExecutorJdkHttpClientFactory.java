package io.jk8s.scheduler;

import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;

import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * fabric8's JDK HTTP client backend with another executor for the JDK client's asynchronous steps
 * (fabric8 gives it a cached platform-thread pool): for the benchmark's {@code -Dbench.httpExecutor=} A/B.
 */
final class ExecutorJdkHttpClientFactory extends JdkHttpClientFactory {

    private final Executor executor;

    private ExecutorJdkHttpClientFactory(Executor executor) {
        this.executor = executor;
    }

    /** {@code virtual}: a virtual thread per task; {@code direct}: on the thread that completes the step. */
    static JdkHttpClientFactory of(String kind) {
        return switch (kind) {
            case "virtual" -> new ExecutorJdkHttpClientFactory(Executors.newVirtualThreadPerTaskExecutor());
            case "direct" -> new ExecutorJdkHttpClientFactory(Runnable::run);
            default -> new JdkHttpClientFactory();
        };
    }

    @Override
    protected void additionalConfig(java.net.http.HttpClient.Builder builder) {
        builder.executor(executor);
    }
}
