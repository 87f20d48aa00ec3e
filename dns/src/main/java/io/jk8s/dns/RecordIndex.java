package io.jk8s.dns;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cluster's DNS data, kept current from Service and EndpointSlice events.
 *
 * <p>Each Service owns the records {@link ServiceRecords} builds for it; a change to a Service or to one
 * of its slices rebuilds only that Service's records. Several owners may contribute to one name
 * (e.g. {@code ns.svc.cluster.local}), so every name maps to its records per owner. Writers are
 * serialised; {@link #lookup} never blocks and sees each name either before or after a change.
 */
public final class RecordIndex {

    private static final Logger LOG = LoggerFactory.getLogger(RecordIndex.class);

    private final ServiceRecords builder;
    private final Map<String, Service> services = new HashMap<>();
    /** service key → slice key → slice, by the {@code kubernetes.io/service-name} label. */
    private final Map<String, Map<String, EndpointSlice>> slicesByService = new HashMap<>();
    private final Map<String, String> serviceOfSlice = new HashMap<>();
    private final Map<String, Map<Name, List<Record>>> owned = new HashMap<>();
    private final ConcurrentHashMap<Name, ConcurrentHashMap<String, List<Record>>> names = new ConcurrentHashMap<>();

    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    public RecordIndex(ServiceRecords builder) {
        this.builder = builder;
    }

    /**
     * The records at {@code name}: null when the name does not exist, an empty list when it exists
     * without records of its own (an empty non-terminal or a Service with nothing to answer).
     */
    public List<Record> lookup(Name name) {
        ConcurrentHashMap<String, List<Record>> byOwner = names.get(name);
        if (byOwner == null) return null;
        List<Record> out = new ArrayList<>();
        for (List<Record> records : byOwner.values()) out.addAll(records);
        return out;
    }

    /** Number of names held; for tests and metrics. */
    public int size() {
        return names.size();
    }

    public synchronized void putService(Service service) {
        String key = key(service.getMetadata().getNamespace(), service.getMetadata().getName());
        services.put(key, service);
        rebuild(key);
    }

    public synchronized void removeService(Service service) {
        String key = key(service.getMetadata().getNamespace(), service.getMetadata().getName());
        services.remove(key);
        rebuild(key);
    }

    public synchronized void putSlice(EndpointSlice slice) {
        String sliceKey = key(slice.getMetadata().getNamespace(), slice.getMetadata().getName());
        String service = serviceKey(slice);
        String before = serviceOfSlice.get(sliceKey);
        if (before != null && !before.equals(service)) detach(sliceKey, before);
        if (service == null) return;
        serviceOfSlice.put(sliceKey, service);
        slicesByService.computeIfAbsent(service, k -> new LinkedHashMap<>()).put(sliceKey, slice);
        rebuild(service);
    }

    public synchronized void removeSlice(EndpointSlice slice) {
        String sliceKey = key(slice.getMetadata().getNamespace(), slice.getMetadata().getName());
        String before = serviceOfSlice.get(sliceKey);
        if (before != null) detach(sliceKey, before);
    }

    private void detach(String sliceKey, String service) {
        serviceOfSlice.remove(sliceKey);
        Map<String, EndpointSlice> slices = slicesByService.get(service);
        if (slices != null) {
            slices.remove(sliceKey);
            if (slices.isEmpty()) slicesByService.remove(service);
        }
        rebuild(service);
    }

    private void rebuild(String serviceKey) {
        Service service = services.get(serviceKey);
        Collection<EndpointSlice> slices = slicesByService.getOrDefault(serviceKey, Map.of()).values();
        Map<Name, List<Record>> next = service == null ? Map.of() : buildOrNothing(serviceKey, service, slices);
        Map<Name, List<Record>> previous = owned.getOrDefault(serviceKey, Map.of());
        // Add the new state first, then drop names that are gone, so a name that stays never disappears.
        for (Map.Entry<Name, List<Record>> e : next.entrySet()) {
            names.computeIfAbsent(e.getKey(), n -> new ConcurrentHashMap<>()).put(serviceKey, List.copyOf(e.getValue()));
        }
        for (Name name : previous.keySet()) {
            if (next.containsKey(name)) continue;
            names.computeIfPresent(name, (n, byOwner) -> {
                byOwner.remove(serviceKey);
                return byOwner.isEmpty() ? null : byOwner;
            });
        }
        if (next.isEmpty()) owned.remove(serviceKey);
        else owned.put(serviceKey, next);
    }

    /** A Service whose fields do not make DNS names (e.g. a bad externalName) simply has no records. */
    private Map<Name, List<Record>> buildOrNothing(String key, Service service, Collection<EndpointSlice> slices) {
        try {
            return builder.build(service, slices);
        } catch (IllegalArgumentException e) {
            LOG.warn("no DNS records for Service {}: {}", key, e.getMessage());
            return Map.of();
        }
    }

    private static String serviceKey(EndpointSlice slice) {
        Map<String, String> labels = slice.getMetadata().getLabels();
        String service = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
        return service == null || service.isEmpty() ? null : key(slice.getMetadata().getNamespace(), service);
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }
}
