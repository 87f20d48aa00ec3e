package io.jk8s.scheduler.framework;

import io.fabric8.kubernetes.api.model.Quantity;
import io.jk8s.scheduler.util.Quantities;

import java.util.HashMap;
import java.util.Map;

/**
 * An amount of node resources: CPU in millicores, memory and ephemeral storage in bytes, a pod count,
 * and "scalar" resources (extended resources such as {@code nvidia.com/gpu}, hugepages) by name.
 * Mutable accumulator; copy before sharing.
 */
public final class Resource {

    public static final String CPU = "cpu";
    public static final String MEMORY = "memory";
    public static final String EPHEMERAL_STORAGE = "ephemeral-storage";
    public static final String PODS = "pods";

    private long milliCpu;
    private long memory;
    private long ephemeralStorage;
    private long allowedPodNumber;
    private Map<String, Long> scalar;

    public Resource() {
    }

    public Resource(long milliCpu, long memory) {
        this.milliCpu = milliCpu;
        this.memory = memory;
    }

    /** Reads a resource list such as container requests or node allocatable. */
    public static Resource of(Map<String, Quantity> list) {
        Resource r = new Resource();
        if (list != null) {
            list.forEach(r::set);
        }
        return r;
    }

    private void set(String name, Quantity q) {
        switch (name) {
            case CPU -> milliCpu = Quantities.milliValue(q);
            case MEMORY -> memory = Quantities.value(q);
            case EPHEMERAL_STORAGE -> ephemeralStorage = Quantities.value(q);
            case PODS -> allowedPodNumber = Quantities.value(q);
            default -> setScalar(name, Quantities.value(q));
        }
    }

    public long milliCpu() {
        return milliCpu;
    }

    public long memory() {
        return memory;
    }

    public long ephemeralStorage() {
        return ephemeralStorage;
    }

    public long allowedPodNumber() {
        return allowedPodNumber;
    }

    /** Extended and other scalar resources by name; never {@code null}. */
    public Map<String, Long> scalarResources() {
        return scalar == null ? Map.of() : scalar;
    }

    public long scalar(String name) {
        return scalar == null ? 0 : scalar.getOrDefault(name, 0L);
    }

    public void setScalar(String name, long value) {
        if (scalar == null) {
            scalar = new HashMap<>(4);
        }
        scalar.put(name, value);
    }

    /** The amount of a resource by its API name. */
    public long get(String name) {
        return switch (name) {
            case CPU -> milliCpu;
            case MEMORY -> memory;
            case EPHEMERAL_STORAGE -> ephemeralStorage;
            case PODS -> allowedPodNumber;
            default -> scalar(name);
        };
    }

    public void add(Resource other) {
        milliCpu += other.milliCpu;
        memory += other.memory;
        ephemeralStorage += other.ephemeralStorage;
        allowedPodNumber += other.allowedPodNumber;
        if (other.scalar != null) {
            other.scalar.forEach((k, v) -> setScalar(k, scalar(k) + v));
        }
    }

    public void subtract(Resource other) {
        milliCpu -= other.milliCpu;
        memory -= other.memory;
        ephemeralStorage -= other.ephemeralStorage;
        allowedPodNumber -= other.allowedPodNumber;
        if (other.scalar != null) {
            other.scalar.forEach((k, v) -> setScalar(k, scalar(k) - v));
        }
    }

    /** Raises each amount to at least {@code other}'s (the init-container rule). */
    public void setMax(Resource other) {
        milliCpu = Math.max(milliCpu, other.milliCpu);
        memory = Math.max(memory, other.memory);
        ephemeralStorage = Math.max(ephemeralStorage, other.ephemeralStorage);
        allowedPodNumber = Math.max(allowedPodNumber, other.allowedPodNumber);
        if (other.scalar != null) {
            other.scalar.forEach((k, v) -> setScalar(k, Math.max(scalar(k), v)));
        }
    }

    public void addMilliCpu(long delta) {
        milliCpu += delta;
    }

    public void addMemory(long delta) {
        memory += delta;
    }

    public boolean isZero() {
        if (milliCpu != 0 || memory != 0 || ephemeralStorage != 0) {
            return false;
        }
        if (scalar != null) {
            for (long v : scalar.values()) {
                if (v != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    public Resource copy() {
        Resource r = new Resource(milliCpu, memory);
        r.ephemeralStorage = ephemeralStorage;
        r.allowedPodNumber = allowedPodNumber;
        if (scalar != null) {
            r.scalar = new HashMap<>(scalar);
        }
        return r;
    }

    @Override
    public String toString() {
        return "Resource{cpu=" + milliCpu + "m, memory=" + memory + ", ephemeral-storage=" + ephemeralStorage
                + ", pods=" + allowedPodNumber + (scalar == null ? "" : ", " + scalar) + "}";
    }
}
