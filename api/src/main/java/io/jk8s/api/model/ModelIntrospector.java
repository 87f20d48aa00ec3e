package io.jk8s.api.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the JSON structure of fabric8 model classes: properties from {@code @JsonProperty} fields
 * (declaration order, superclasses first) and the shape of each Java type. Results are cached; the class
 * is thread-safe.
 */
public final class ModelIntrospector {

    /** What a Java type looks like in JSON. */
    public enum Shape { OBJECT, LIST, MAP, STRING, INTEGER, NUMBER, BOOLEAN, INT_OR_STRING, QUANTITY, ANY }

    private static final Map<Class<?>, List<ModelProperty>> PROPERTIES = new ConcurrentHashMap<>();

    private ModelIntrospector() {
    }

    /** The JSON properties of a model class (empty for non-model classes). */
    public static List<ModelProperty> properties(Class<?> type) {
        return PROPERTIES.computeIfAbsent(type, ModelIntrospector::readProperties);
    }

    private static List<ModelProperty> readProperties(Class<?> type) {
        List<ModelProperty> result = new ArrayList<>();
        List<Class<?>> chain = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            chain.add(0, c);
        }
        for (Class<?> c : chain) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.isAnnotationPresent(JsonIgnore.class)) {
                    continue;
                }
                JsonProperty p = f.getAnnotation(JsonProperty.class);
                if (p == null) {
                    continue;
                }
                String name = p.value().isEmpty() ? f.getName() : p.value();
                if (result.stream().noneMatch(existing -> existing.name().equals(name))) {
                    result.add(new ModelProperty(name, f.getGenericType()));
                }
            }
        }
        return List.copyOf(result);
    }

    /** The JSON shape of a (possibly generic) Java type. */
    public static Shape shape(Type type) {
        if (type instanceof ParameterizedType pt && pt.getRawType() instanceof Class<?> raw) {
            if (Collection.class.isAssignableFrom(raw)) {
                return Shape.LIST;
            }
            if (Map.class.isAssignableFrom(raw)) {
                return Shape.MAP;
            }
            return Shape.ANY;
        }
        if (!(type instanceof Class<?> c)) {
            return Shape.ANY;
        }
        if (c == String.class || c.isEnum() || c == Character.class || c == char.class) {
            return Shape.STRING;
        }
        if (c == Integer.class || c == int.class || c == Long.class || c == long.class || c == Short.class
                || c == short.class) {
            return Shape.INTEGER;
        }
        if (c == Double.class || c == double.class || c == Float.class || c == float.class
                || Number.class.isAssignableFrom(c)) {
            return Shape.NUMBER;
        }
        if (c == Boolean.class || c == boolean.class) {
            return Shape.BOOLEAN;
        }
        if (c == IntOrString.class) {
            return Shape.INT_OR_STRING;
        }
        if (c == Quantity.class) {
            return Shape.QUANTITY;
        }
        if (Collection.class.isAssignableFrom(c)) {
            return Shape.LIST;
        }
        if (Map.class.isAssignableFrom(c)) {
            return Shape.MAP;
        }
        if (isModel(c)) {
            return Shape.OBJECT;
        }
        return Shape.ANY;
    }

    /** True for a concrete fabric8 model class with JSON properties. */
    public static boolean isModel(Class<?> c) {
        return c.getName().startsWith("io.fabric8.") && !c.isInterface() && !Modifier.isAbstract(c.getModifiers())
                && !properties(c).isEmpty();
    }

    /** Element type of a list, or value type of a map; Object when unknown. */
    public static Type elementType(Type type) {
        if (type instanceof ParameterizedType pt) {
            Type[] args = pt.getActualTypeArguments();
            Type arg = args[args.length - 1];
            if (arg instanceof WildcardType w) {
                arg = w.getUpperBounds()[0];
            }
            return arg;
        }
        return Object.class;
    }
}
