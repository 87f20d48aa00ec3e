package io.jk8s.controllers;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.jk8s.controllers.rootca.RootCaPublisher;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** kube-root-ca.crt in every namespace with the CA of the controller manager's own API connection. */
class RootCaPublisherTest {

    static TestCluster cluster;
    static KubernetesClient managerClient;
    static ControllerManager manager;
    static String caPem;

    @BeforeAll
    static void setUp() throws Exception {
        cluster = new TestCluster();
        caPem = selfSignedCaPem();
        managerClient = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:" + cluster.server.port()).withRequestRetryBackoffLimit(0)
                .withCaCertData(Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII))).build()).build();
        manager = new ControllerManager(managerClient, TestCluster.config(Set.of("root-ca-cert-publisher")));
        manager.start().get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void tearDown() {
        manager.close();
        managerClient.close();
        cluster.close();
    }

    private static String selfSignedCaPem() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair key = g.generateKeyPair();
        X500Name name = new X500Name("CN=root-ca-test");
        var b = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(Instant.now().minusSeconds(60)),
                Date.from(Instant.now().plus(Duration.ofDays(1))), name, key.getPublic());
        var cert = new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(cert.getEncoded()) + "\n-----END CERTIFICATE-----\n";
    }

    private static ConfigMap rootCa(String ns) {
        return cluster.client.configMaps().inNamespace(ns).withName(RootCaPublisher.NAME).get();
    }

    @Test
    void everyNamespaceGetsTheCaAndDriftOrDeletionIsRepaired() {
        cluster.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("fresh").endMetadata().build()).create();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(rootCa("default")).isNotNull();
            assertThat(rootCa("fresh")).isNotNull();
        });
        ConfigMap cm = rootCa("fresh");
        assertThat(cm.getData()).isEqualTo(Map.of("ca.crt", caPem));
        assertThat(cm.getMetadata().getAnnotations()).containsKey("kubernetes.io/description");

        cluster.client.configMaps().inNamespace("fresh").resource(new ConfigMapBuilder(cm).withData(Map.of("ca.crt", "tampered")).build()).update();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(rootCa("fresh").getData()).isEqualTo(Map.of("ca.crt", caPem)));

        cluster.client.configMaps().inNamespace("fresh").withName(RootCaPublisher.NAME).delete();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            ConfigMap back = rootCa("fresh");
            assertThat(back).isNotNull();
            assertThat(back.getMetadata().getUid()).isNotEqualTo(cm.getMetadata().getUid());
            assertThat(back.getData()).isEqualTo(Map.of("ca.crt", caPem));
        });
    }
}
