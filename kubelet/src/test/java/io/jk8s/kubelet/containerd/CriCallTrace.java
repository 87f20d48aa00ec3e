package io.jk8s.kubelet.containerd;

import io.jk8s.kubelet.cri.ContainerRuntime;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * Wraps a {@link ContainerRuntime} so that, while {@link #recording}, every call is written down with
 * its start and end (nanoTime) and thread: the per-step timeline of one pod's start-up in the benchmark.
 */
final class CriCallTrace {

    record Call(String method, String thread, long startNanos, long endNanos) {}

    private final List<Call> calls = new ArrayList<>();
    private volatile boolean recording;

    ContainerRuntime wrap(ContainerRuntime target) {
        return (ContainerRuntime) Proxy.newProxyInstance(ContainerRuntime.class.getClassLoader(),
                new Class<?>[]{ContainerRuntime.class}, (proxy, method, args) -> {
                    long start = System.nanoTime();
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        if (recording) {
                            Call call = new Call(method.getName(), Thread.currentThread().getName(), start, System.nanoTime());
                            synchronized (calls) {
                                calls.add(call);
                            }
                        }
                    }
                });
    }

    void start() {
        synchronized (calls) {
            calls.clear();
        }
        recording = true;
    }

    List<Call> stop() {
        recording = false;
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }
}
