/**
 * The controller manager: {@link io.jk8s.controllers.ControllerManager} runs, while it holds the
 * {@code kube-system/kube-controller-manager} Lease, one controller per kind over shared
 * list+watch informers ({@link io.jk8s.controllers.runtime.Informers}).
 *
 * <p>Every controller follows the client-go pattern: event handlers only enqueue keys into a
 * de-duplicating {@link io.jk8s.controllers.runtime.WorkQueue} with per-key exponential backoff;
 * {@code sync(key)} re-reads the caches, deep-copies before writing, treats a missing object as
 * "clean up" and throws to be retried. Creations and deletions in flight are tracked with
 * {@link io.jk8s.controllers.runtime.Expectations} so that a controller never acts twice on a
 * stale cache; bulk creation goes through {@link io.jk8s.controllers.runtime.SlowStart}.
 *
 * <p>Controllers (names for {@code ControllerManagerConfig.controllers}): replicaset, deployment,
 * garbagecollector, serviceaccount, job, nodelifecycle, endpoints, endpointslice, podgc,
 * daemonset, nodeipam. Not yet: statefulset, cronjob, namespace (the API server empties terminating
 * namespaces itself, see {@code NamespaceFinalizer}).
 */
package io.jk8s.controllers;
