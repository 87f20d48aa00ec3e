package io.jk8s.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.cfg.HandlerInstantiator;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.jsontype.TypeIdResolver;
import com.fasterxml.jackson.databind.jsontype.TypeResolverBuilder;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.internal.KubernetesDeserializer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * fabric8's serialization, but the model class of a kind is loaded the first time an object of that kind arrives
 * untyped (a watch event's {@code object}, a list of mixed kinds) instead of all at once. fabric8's default registry
 * instantiates every {@link KubernetesResource} on the class path through the ServiceLoader at the first watch event:
 * ~590 classes, ~5 MB of metaspace and ~3 MB of heap for kinds such as Gateway API routes that a node agent never
 * sees. Here only the service files' class names are read; a kind not registered yet is looked up by its simple
 * name among them and only those candidates are loaded and registered (by their group/version annotations), so an
 * informer of any kind still gets its typed objects.
 */
public final class OnDemandKindSerialization extends KubernetesSerialization {

    private static final String SERVICES = "META-INF/services/" + KubernetesResource.class.getName();

    private volatile OnDemandKindDeserializer deserializer;

    public OnDemandKindSerialization() {
        super(new ObjectMapper(), false);
    }

    @Override
    protected void configureMapper(ObjectMapper mapper) {
        super.configureMapper(mapper);
        // fabric8's handler instantiator hands out its own KubernetesDeserializer; ours replaces it.
        HandlerInstantiator fabric8s = mapper.getDeserializationConfig().getHandlerInstantiator();
        mapper.setConfig(mapper.getDeserializationConfig().with(new Instantiator(fabric8s)));
    }

    private OnDemandKindDeserializer deserializer() {
        OnDemandKindDeserializer d = deserializer;
        if (d == null) {
            synchronized (this) {
                if (deserializer == null) deserializer = new OnDemandKindDeserializer(KindIndex.fromServiceFiles());
                d = deserializer;
            }
        }
        return d;
    }

    @Override
    public Class<? extends KubernetesResource> getRegisteredKubernetesResource(String apiVersion, String kind) {
        return deserializer().resolve(apiVersion, kind);
    }

    @Override
    public void registerKubernetesResource(Class<? extends KubernetesResource> clazz) {
        deserializer().registerKubernetesResource(clazz);
    }

    @Override
    public void registerKubernetesResource(String apiVersion, String kind, Class<? extends KubernetesResource> clazz) {
        deserializer().registerCustomKind(apiVersion, kind, clazz);
    }

    /** Registers a kind's classes just before fabric8's deserializer looks the kind up. */
    static final class OnDemandKindDeserializer extends KubernetesDeserializer {
        private final KindIndex index;
        private final Set<String> tried = ConcurrentHashMap.newKeySet();

        OnDemandKindDeserializer(KindIndex index) {
            super(false);
            this.index = index;
        }

        @Override
        public KubernetesResource deserialize(JsonParser parser, DeserializationContext ctxt) throws IOException {
            JsonNode node = parser.readValueAsTree();
            if (node == null) return null;
            if (node.isArray()) {
                node.forEach(this::registerKindOf);
            } else {
                registerKindOf(node);
            }
            try (JsonParser again = node.traverse(parser.getCodec())) {
                again.nextToken();
                return super.deserialize(again, ctxt);
            }
        }

        private void registerKindOf(JsonNode node) {
            if (node.isObject() && node.hasNonNull("apiVersion") && node.hasNonNull("kind")) {
                resolve(node.get("apiVersion").asText(), node.get("kind").asText());
            }
        }

        Class<? extends KubernetesResource> resolve(String apiVersion, String kind) {
            Class<? extends KubernetesResource> known = getRegisteredKind(apiVersion, kind);
            if (known != null || kind == null) return known;
            // Locked so that a second event of a new kind waits for the first one's registration instead of
            // seeing the kind "tried" but not yet registered. Each simple name is looked up once: a kind without
            // a model class stays a GenericKubernetesResource, as with fabric8's registry.
            synchronized (this) {
                if (tried.add(kind)) {
                    for (Class<? extends KubernetesResource> candidate : index.classesNamed(kind)) {
                        registerKubernetesResource(candidate);
                    }
                }
                return getRegisteredKind(apiVersion, kind);
            }
        }
    }

    /** Model class names from the class path's service files, by simple name; classes are loaded only when asked. */
    static final class KindIndex {
        private final Map<String, List<String>> bySimpleName;
        private final ClassLoader loader;

        private KindIndex(Map<String, List<String>> bySimpleName, ClassLoader loader) {
            this.bySimpleName = bySimpleName;
            this.loader = loader;
        }

        static KindIndex fromServiceFiles() {
            ClassLoader loader = KubernetesResource.class.getClassLoader();
            Map<String, List<String>> byName = new HashMap<>();
            try {
                Enumeration<URL> files = loader.getResources(SERVICES);
                while (files.hasMoreElements()) {
                    try (BufferedReader in = new BufferedReader(new InputStreamReader(files.nextElement().openStream(),
                            StandardCharsets.UTF_8))) {
                        for (String line; (line = in.readLine()) != null; ) {
                            String name = line.replaceFirst("#.*", "").strip();
                            if (name.isEmpty()) continue;
                            byName.computeIfAbsent(name.substring(name.lastIndexOf('.') + 1), k -> new ArrayList<>(1)).add(name);
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + SERVICES, e);
            }
            return new KindIndex(byName, loader);
        }

        List<Class<? extends KubernetesResource>> classesNamed(String kind) {
            List<Class<? extends KubernetesResource>> out = new ArrayList<>();
            for (String name : bySimpleName.getOrDefault(kind, List.of())) {
                try {
                    out.add(Class.forName(name, false, loader).asSubclass(KubernetesResource.class));
                } catch (ClassNotFoundException | ClassCastException | LinkageError e) {
                    // a service file naming a class that is not there: skip it, as the ServiceLoader path would fail
                }
            }
            return out;
        }
    }

    /** fabric8's instantiator for everything but the kind-dispatching deserializer. */
    private final class Instantiator extends HandlerInstantiator {
        private final HandlerInstantiator delegate;

        Instantiator(HandlerInstantiator delegate) {
            this.delegate = delegate;
        }

        @Override
        public JsonDeserializer<?> deserializerInstance(DeserializationConfig config, Annotated annotated, Class<?> deserClass) {
            if (deserClass == KubernetesDeserializer.class) return deserializer();
            return delegate == null ? null : delegate.deserializerInstance(config, annotated, deserClass);
        }

        @Override
        public KeyDeserializer keyDeserializerInstance(DeserializationConfig config, Annotated annotated, Class<?> keyDeserClass) {
            return delegate == null ? null : delegate.keyDeserializerInstance(config, annotated, keyDeserClass);
        }

        @Override
        public JsonSerializer<?> serializerInstance(SerializationConfig config, Annotated annotated, Class<?> serClass) {
            return delegate == null ? null : delegate.serializerInstance(config, annotated, serClass);
        }

        @Override
        public TypeResolverBuilder<?> typeResolverBuilderInstance(MapperConfig<?> config, Annotated annotated, Class<?> builderClass) {
            return delegate == null ? null : delegate.typeResolverBuilderInstance(config, annotated, builderClass);
        }

        @Override
        public TypeIdResolver typeIdResolverInstance(MapperConfig<?> config, Annotated annotated, Class<?> resolverClass) {
            return delegate == null ? null : delegate.typeIdResolverInstance(config, annotated, resolverClass);
        }
    }
}
