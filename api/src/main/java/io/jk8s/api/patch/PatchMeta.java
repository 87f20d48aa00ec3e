package io.jk8s.api.patch;

import java.util.Set;

/**
 * What strategic merge patch needs to know about one position in a type: whether it is an object, a list
 * or a map, the list's merge key and patch strategies, and the metadata of its children.
 *
 * <p>Navigation never returns null: an unknown field gives {@link #none()}, below which a strategic merge
 * patch behaves like a JSON merge patch (maps merge, lists are replaced) while still honouring directives.
 * Implementations are immutable and thread-safe.
 */
public interface PatchMeta {

    /** JSON shape of the position. */
    enum Kind { OBJECT, LIST, MAP, SCALAR, UNKNOWN }

    Kind kind();

    /**
     * Metadata of a child: the property {@code name} of an object, the value of any key of a map; for a
     * list, the field of its elements. {@link #none()} when unknown.
     */
    PatchMeta field(String name);

    /** Metadata of the elements of a list or of the values of a map; {@link #none()} otherwise. */
    PatchMeta elements();

    /** The {@code x-kubernetes-patch-merge-key} of a list of objects, or null. */
    String mergeKey();

    /** The {@code x-kubernetes-patch-strategy} values, e.g. {"merge"}, {"merge","retainKeys"}, {"replace"}. */
    Set<String> strategies();

    default boolean isList() {
        return kind() == Kind.LIST;
    }

    default boolean isMap() {
        return kind() == Kind.MAP;
    }

    default boolean isObject() {
        return kind() == Kind.OBJECT;
    }

    /** True when the list is merged (strategy {@code merge}) rather than replaced. */
    default boolean mergesList() {
        return strategies().contains("merge");
    }

    /** True when the value is replaced as a whole (strategy {@code replace}). */
    default boolean replaces() {
        return strategies().contains("replace");
    }

    /** The "no metadata" position. */
    static PatchMeta none() {
        return NoPatchMeta.INSTANCE;
    }
}
