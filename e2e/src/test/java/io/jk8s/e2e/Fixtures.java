package io.jk8s.e2e;

import static io.jk8s.e2e.Expect.ok;

/**
 * Test objects made with {@code kubectl apply -f -} (JSON bodies), so that a class's set-up does
 * not depend on the imperative {@code kubectl create ...} commands, which are tested on their own.
 */
final class Fixtures {

    private Fixtures() {
    }

    static void apply(Kubectl kubectl, String yaml) {
        // Set-up is not what these tests check, so client-side schema validation stays out of it.
        ok(kubectl.runWithInput(yaml, "apply", "--validate=false", "-f", "-"));
    }

    static void namespace(Kubectl kubectl, String name) {
        apply(kubectl, """
                apiVersion: v1
                kind: Namespace
                metadata: {name: %s}
                """.formatted(name));
    }

    /** A ConfigMap with one entry; {@code key=value}. */
    static void configMap(Kubectl kubectl, String namespace, String name, String key, String value) {
        apply(kubectl, """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: %s, namespace: %s}
                data: {%s: "%s"}
                """.formatted(name, namespace, key, value));
    }

    /** A Deployment shaped like {@code kubectl create deployment NAME --image=IMAGE}: label app=NAME, container "busybox". */
    static void deployment(Kubectl kubectl, String namespace, String name, String image, int replicas) {
        apply(kubectl, """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %1$s
                  namespace: %2$s
                  labels: {app: %1$s}
                spec:
                  replicas: %4$d
                  selector:
                    matchLabels: {app: %1$s}
                  template:
                    metadata:
                      labels: {app: %1$s}
                    spec:
                      containers:
                      - name: busybox
                        image: %3$s
                """.formatted(name, namespace, image, replicas));
    }
}
