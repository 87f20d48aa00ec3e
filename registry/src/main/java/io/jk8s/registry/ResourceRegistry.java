package io.jk8s.registry;

import java.util.List;
import java.util.Optional;

/** The resource types this server serves, each with its strategy. */
public interface ResourceRegistry {

    List<KindStrategy> all();

    /** By URL coordinates, e.g. ("apps", "v1", "deployments"); group "" for core. */
    Optional<KindStrategy> byResource(String group, String version, String plural);

    /** By type coordinates, e.g. ("apps", "v1", "Deployment"). */
    Optional<KindStrategy> byKind(String group, String version, String kind);
}
