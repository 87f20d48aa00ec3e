/**
 * The node agent.
 *
 * <ul>
 *   <li>{@link io.jk8s.kubelet.NodeRuntime} — everything below the API loop: CNI config
 *       ({@code cni}), jk8s' own supervised containerd ({@code containerd}), the CRI v1 client
 *       ({@code cri}, stubs generated from {@code src/main/proto/runtime/v1/api.proto}) and the
 *       built-in busybox and pause images built in Java ({@code image}).</li>
 *   <li>{@link io.jk8s.kubelet.Kubelet} — the API client: node registration and status,
 *       node lease ({@code node}), a pod informer on {@code spec.nodeName}, one worker per pod
 *       and a runtime relist ({@code pod}).</li>
 * </ul>
 *
 * All pod state lives in the runtime (CRI labels and annotations, see
 * {@link io.jk8s.kubelet.pod.CriLabels}), so a restarted kubelet adopts running pods.
 */
package io.jk8s.kubelet;
