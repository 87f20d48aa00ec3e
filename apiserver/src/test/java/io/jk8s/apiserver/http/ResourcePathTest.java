package io.jk8s.apiserver.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResourcePathTest {

    @Test
    void splitsCoreAndGroupPaths() {
        assertThat(ResourcePath.parse("/api/v1/namespaces/default/pods/p1/binding"))
                .isEqualTo(new ResourcePath("", "v1", "default", "pods", "p1", "binding", false));
        assertThat(ResourcePath.parse("/apis/apps/v1/namespaces/x/deployments"))
                .isEqualTo(new ResourcePath("apps", "v1", "x", "deployments", null, null, false));
        assertThat(ResourcePath.parse("/apis/apps/v1/namespaces/x/deployments/d/scale"))
                .isEqualTo(new ResourcePath("apps", "v1", "x", "deployments", "d", "scale", false));
        assertThat(ResourcePath.parse("/api/v1/nodes"))
                .isEqualTo(new ResourcePath("", "v1", null, "nodes", null, null, false));
    }

    @Test
    void watchPrefixAndNamespaceItself() {
        assertThat(ResourcePath.parse("/api/v1/watch/namespaces/default/pods"))
                .isEqualTo(new ResourcePath("", "v1", "default", "pods", null, null, true));
        assertThat(ResourcePath.parse("/api/v1/namespaces/x"))
                .isEqualTo(new ResourcePath("", "v1", null, "namespaces", "x", null, false));
        assertThat(ResourcePath.parse("/api/v1/namespaces/x/finalize"))
                .isEqualTo(new ResourcePath("", "v1", null, "namespaces", "x", "finalize", false));
    }

    @Test
    void emptySegmentsAreIgnoredAndLongSubresourcesJoined() {
        assertThat(ResourcePath.parse("//api//v1/namespaces/n/pods/p/proxy/a/b/"))
                .isEqualTo(new ResourcePath("", "v1", "n", "pods", "p", "proxy/a/b", false));
    }

    @Test
    void nonResourcePathsAreNull() {
        assertThat(ResourcePath.parse("/api")).isNull();
        assertThat(ResourcePath.parse("/api/v1")).isNull();
        assertThat(ResourcePath.parse("/apis/apps/v1")).isNull();
        assertThat(ResourcePath.parse("/api/v1/watch")).isNull();
        assertThat(ResourcePath.parse("/healthz")).isNull();
        assertThat(ResourcePath.parse("")).isNull();
    }
}
