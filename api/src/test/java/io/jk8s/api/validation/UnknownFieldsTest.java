package io.jk8s.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

class UnknownFieldsTest {

    private static JsonNode json(String s) throws Exception {
        return new ObjectMapper().readTree(s.replace('\'', '"'));
    }

    @Test
    void reportsUnknownFieldsWithUpstreamPaths() throws Exception {
        JsonNode d = json("""
                {'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'x','labels':{'a':'b'},'colour':1},
                 'spec':{'replicas':1,'template':{'spec':{'containers':[{'name':'a','imag':'x',
                   'resources':{'limits':{'cpu':'1'}},'ports':[{'containerPort':80,'hostport':1}]}]}}},'extra':true}""");
        assertThat(UnknownFields.find(d, Deployment.class)).containsExactly("metadata.colour",
                "spec.template.spec.containers[0].imag", "spec.template.spec.containers[0].ports[0].hostport", "extra");
        assertThat(UnknownFields.strictDecodingError(UnknownFields.find(d, Deployment.class)))
                .startsWith("strict decoding error: unknown field \"metadata.colour\", unknown field \"spec.template");
    }

    @Test
    void acceptsValidObjectsAndUntypedPositions() throws Exception {
        JsonNode d = json("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'x'},"
                + "'spec':{'selector':{'matchLabels':{'a':'b'}},'strategy':{'rollingUpdate':{'maxSurge':'25%'}}}}");
        assertThat(UnknownFields.find(d, Deployment.class)).isEmpty();
        assertThat(UnknownFields.find(json("{'spec':{'anything':1}}"), GenericKubernetesResource.class)).isEmpty();
        assertThat(UnknownFields.find(d, null)).isEmpty();
    }
}
