package io.jk8s.api.patch;

import io.jk8s.api.model.ModelIntrospector;
import io.jk8s.api.model.ModelProperty;
import io.jk8s.api.model.UpstreamFieldTags;
import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Builds {@link PatchMeta} for fabric8 model classes by reflection (JSON property names and generic
 * types), with upstream's patch strategies and merge keys from {@link UpstreamFieldTags}. Results are
 * cached per class; recursive types (e.g. JSONSchemaProps) are resolved lazily.
 */
public final class PatchMetas {

    private static final Map<Class<?>, PatchMeta> CACHE = new ConcurrentHashMap<>();

    private PatchMetas() {
    }

    /**
     * Metadata of a model class, e.g. {@code forModel(Pod.class).field("spec").field("containers")}.
     * A null or non-model class (e.g. a custom resource's generic class) gives {@link PatchMeta#none()}.
     */
    public static PatchMeta forModel(Class<?> modelClass) {
        if (modelClass == null) {
            return PatchMeta.none();
        }
        PatchMeta cached = CACHE.get(modelClass);
        if (cached != null) {
            return cached;
        }
        PatchMeta built = ModelIntrospector.isModel(modelClass) ? new ObjectMeta(modelClass) : PatchMeta.none();
        PatchMeta raced = CACHE.putIfAbsent(modelClass, built);
        return raced == null ? built : raced;
    }

    private static PatchMeta forType(Type type, UpstreamFieldTags.PatchTag tag) {
        Set<String> strategies = tag == null ? Set.of() : tag.strategies();
        String mergeKey = tag == null ? null : tag.mergeKey();
        return switch (ModelIntrospector.shape(type)) {
            case OBJECT -> tag == null ? forModel((Class<?>) type)
                    : new Container(PatchMeta.Kind.OBJECT, () -> forModel((Class<?>) type), mergeKey, strategies);
            case LIST -> new Container(PatchMeta.Kind.LIST,
                    () -> forType(ModelIntrospector.elementType(type), null), mergeKey, strategies);
            case MAP -> new Container(PatchMeta.Kind.MAP,
                    () -> forType(ModelIntrospector.elementType(type), null), mergeKey, strategies);
            case ANY -> PatchMeta.none();
            default -> new Container(PatchMeta.Kind.SCALAR, PatchMeta::none, null, strategies);
        };
    }

    /** A model class: fields by JSON name. */
    private static final class ObjectMeta implements PatchMeta {
        private final Class<?> type;
        private volatile Map<String, PatchMeta> fields;

        ObjectMeta(Class<?> type) {
            this.type = type;
        }

        private Map<String, PatchMeta> fields() {
            Map<String, PatchMeta> f = fields;
            if (f == null) {
                f = new LinkedHashMap<>();
                for (ModelProperty p : ModelIntrospector.properties(type)) {
                    f.put(p.name(), forType(p.type(), UpstreamFieldTags.patchTag(type.getSimpleName(), p.name())));
                }
                fields = f;
            }
            return f;
        }

        @Override
        public Kind kind() {
            return Kind.OBJECT;
        }

        @Override
        public PatchMeta field(String name) {
            return fields().getOrDefault(name, PatchMeta.none());
        }

        @Override
        public PatchMeta elements() {
            return PatchMeta.none();
        }

        @Override
        public String mergeKey() {
            return null;
        }

        @Override
        public Set<String> strategies() {
            return Set.of();
        }

        @Override
        public String toString() {
            return type.getSimpleName();
        }
    }

    /**
     * A list, a map, a scalar, or an object field carrying its own strategy (e.g. retainKeys on
     * {@code DeploymentSpec.strategy}); children are resolved on first use.
     */
    private static final class Container implements PatchMeta {
        private final Kind kind;
        private final Supplier<PatchMeta> inner;
        private final String mergeKey;
        private final Set<String> strategies;
        private volatile PatchMeta resolved;

        Container(Kind kind, Supplier<PatchMeta> inner, String mergeKey, Set<String> strategies) {
            this.kind = kind;
            this.inner = inner;
            this.mergeKey = mergeKey;
            this.strategies = strategies;
        }

        private PatchMeta inner() {
            PatchMeta r = resolved;
            if (r == null) {
                r = inner.get();
                resolved = r;
            }
            return r;
        }

        @Override
        public Kind kind() {
            return kind;
        }

        @Override
        public PatchMeta field(String name) {
            return switch (kind) {
                case OBJECT -> inner().field(name);
                case LIST -> inner().field(name);
                case MAP -> inner();
                default -> PatchMeta.none();
            };
        }

        @Override
        public PatchMeta elements() {
            return kind == Kind.LIST || kind == Kind.MAP ? inner() : PatchMeta.none();
        }

        @Override
        public String mergeKey() {
            return mergeKey;
        }

        @Override
        public Set<String> strategies() {
            return strategies;
        }

        @Override
        public String toString() {
            return kind + "(" + mergeKey + "," + strategies + ")";
        }
    }
}
