package io.jk8s.controllers;

import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.jk8s.apiserver.ApiServer;
import io.jk8s.apiserver.testing.TestServer;
import io.jk8s.controllers.runtime.ControllerManagerConfig;
import io.jk8s.hollow.HollowConfig;
import io.jk8s.hollow.HollowNodes;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small cluster in-process: the real API server over a memory store, hollow nodes that run
 * bound pods, a round-robin binder standing in for the scheduler, and the controller manager.
 */
final class TestCluster implements AutoCloseable {

    private final TestServer api = TestServer.withBuiltinKinds();
    final ApiServer server = api.server;
    final KubernetesClient client = api.client;
    HollowNodes nodes;
    ControllerManager manager;
    private SharedIndexInformer<Pod> binder;
    private final AtomicInteger nextNode = new AtomicInteger();

    static ControllerManagerConfig config(Set<String> controllers) {
        return ControllerManagerConfig.defaults().withLeaderElect(false).withControllers(controllers);
    }

    TestCluster withNodes(int n) throws Exception {
        nodes = new HollowNodes(client, HollowConfig.of(n).withHeartbeat(Duration.ofMillis(500)));
        nodes.start().get(30, TimeUnit.SECONDS);
        startBinder(nodes.nodeNames());
        return this;
    }

    TestCluster withControllers(ControllerManagerConfig cfg) throws Exception {
        manager = new ControllerManager(client, cfg);
        manager.start().get(30, TimeUnit.SECONDS);
        return this;
    }

    private void startBinder(List<String> nodeNames) {
        binder = client.pods().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod p) {
                bind(p, nodeNames);
            }

            @Override
            public void onUpdate(Pod o, Pod p) {
            }

            @Override
            public void onDelete(Pod p, boolean unknown) {
            }
        });
    }

    private void bind(Pod p, List<String> nodeNames) {
        if (p.getSpec().getNodeName() != null && !p.getSpec().getNodeName().isEmpty()) return;
        String node = nodeNames.get(Math.floorMod(nextNode.getAndIncrement(), nodeNames.size()));
        var b = new BindingBuilder().withNewMetadata().withName(p.getMetadata().getName()).endMetadata()
                .withNewTarget().withKind("Node").withApiVersion("v1").withName(node).endTarget().build();
        String url = client.getMasterUrl().toString().replaceAll("/$", "") + "/api/v1/namespaces/" + p.getMetadata().getNamespace()
                + "/pods/" + p.getMetadata().getName() + "/binding";
        HttpRequest req = client.getHttpClient().newHttpRequestBuilder().uri(url).post("application/json", Serialization.asJson(b)).build();
        client.getHttpClient().sendAsync(req, String.class);
    }

    @Override
    public void close() {
        if (manager != null) manager.close();
        if (binder != null) binder.close();
        if (nodes != null) nodes.close();
        api.close();
    }
}
