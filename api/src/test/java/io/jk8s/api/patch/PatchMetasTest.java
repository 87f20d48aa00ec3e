package io.jk8s.api.patch;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

class PatchMetasTest {

    @Test
    void describesListsWithMergeKeysAndStrategies() {
        PatchMeta spec = PatchMetas.forModel(Pod.class).field("spec");
        assertThat(spec.isObject()).isTrue();
        PatchMeta containers = spec.field("containers");
        assertThat(containers.isList()).isTrue();
        assertThat(containers.mergeKey()).isEqualTo("name");
        assertThat(containers.strategies()).containsExactly("merge");
        assertThat(containers.elements().field("env").mergeKey()).isEqualTo("name");
        assertThat(containers.field("ports").mergeKey()).isEqualTo("containerPort");
        assertThat(spec.field("volumes").strategies()).containsExactlyInAnyOrder("merge", "retainKeys");
        assertThat(spec.field("tolerations").mergesList()).isFalse();
    }

    @Test
    void describesMapsAndMetadata() {
        PatchMeta metadata = PatchMetas.forModel(Deployment.class).field("metadata");
        assertThat(metadata.field("labels").isMap()).isTrue();
        assertThat(metadata.field("finalizers").mergesList()).isTrue();
        assertThat(metadata.field("finalizers").mergeKey()).isNull();
        assertThat(metadata.field("ownerReferences").mergeKey()).isEqualTo("uid");
        assertThat(PatchMetas.forModel(Deployment.class).field("spec").field("strategy").strategies())
                .containsExactly("retainKeys");
        assertThat(PatchMetas.forModel(Deployment.class).field("spec").field("template").field("spec")
                .field("containers").mergeKey()).isEqualTo("name");
    }

    @Test
    void unknownPositionsHaveNoMetadata() {
        assertThat(PatchMetas.forModel(Pod.class).field("nope")).isSameAs(PatchMeta.none());
        assertThat(PatchMeta.none().field("x").field("y").kind()).isEqualTo(PatchMeta.Kind.UNKNOWN);
        assertThat(PatchMetas.forModel(null)).isSameAs(PatchMeta.none());
        assertThat(PatchMetas.forModel(String.class)).isSameAs(PatchMeta.none());
        assertThat(PatchMetas.forModel(GenericKubernetesResource.class).field("spec").kind())
                .isEqualTo(PatchMeta.Kind.UNKNOWN);
    }

    @Test
    void handlesRecursiveTypes() {
        PatchMeta props = PatchMetas.forModel(CustomResourceDefinition.class).field("spec").field("versions")
                .field("schema").field("openAPIV3Schema").field("properties");
        assertThat(props.isMap()).isTrue();
        assertThat(props.elements().field("properties").elements().field("x-kubernetes-validations").mergeKey())
                .isEqualTo("rule");
    }
}
