package io.jk8s.registry.support;

import io.jk8s.api.ResourceType;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Builds {@link ResourceType}s with upstream's discovery defaults (all eight verbs, namespaced, no short names). */
public final class Kinds {

    /** The verbs upstream lists for an ordinary resource, in discovery order. */
    public static final List<String> ALL_VERBS =
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
    /** Namespaces and similar resources without deletecollection. */
    public static final List<String> NO_DELETECOLLECTION =
            List.of("create", "delete", "get", "list", "patch", "update", "watch");

    private final String group;
    private final String version;
    private final String kind;
    private final String plural;
    private final Class<?> model;
    private boolean namespaced = true;
    private List<String> shortNames = List.of();
    private List<String> categories = List.of();
    private List<String> verbs = ALL_VERBS;
    private final Set<String> subresources = new LinkedHashSet<>();

    private Kinds(String group, String version, String kind, String plural, Class<?> model) {
        this.group = group;
        this.version = version;
        this.kind = kind;
        this.plural = plural;
        this.model = model;
    }

    public static Kinds of(String group, String version, String kind, String plural, Class<?> model) {
        return new Kinds(group, version, kind, plural, model);
    }

    public Kinds clusterScoped() {
        this.namespaced = false;
        return this;
    }

    public Kinds shortNames(String... names) {
        this.shortNames = List.of(names);
        return this;
    }

    /** Adds the {@code all} category (what {@code kubectl get all} lists). */
    public Kinds inAll() {
        this.categories = List.of("all");
        return this;
    }

    public Kinds verbs(String... verbs) {
        this.verbs = List.of(verbs);
        return this;
    }

    public Kinds verbs(List<String> verbs) {
        this.verbs = List.copyOf(verbs);
        return this;
    }

    public Kinds sub(String... names) {
        this.subresources.addAll(List.of(names));
        return this;
    }

    public ResourceType build() {
        return new ResourceType(group, version, kind, plural, kind.toLowerCase(Locale.ROOT), namespaced,
                shortNames, categories, verbs, Set.copyOf(subresources), model);
    }
}
