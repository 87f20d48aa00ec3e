/**
 * The jk8s scheduler (kube-scheduler's design): an API client that assigns pending pods to nodes.
 * <ul>
 *   <li>{@link io.jk8s.scheduler.Scheduler}: the component: fabric8 informers (pods, nodes, priority
 *   classes, and Services/ReplicaSets/StatefulSets for default spreading), leader election on the
 *   {@code kube-system/kube-scheduler} Lease, binding through {@code pods/binding}.</li>
 *   <li>{@link io.jk8s.scheduler.SchedulingEngine}: the same without the API: event handlers, the
 *   scheduling cycle (snapshot, {@link io.jk8s.scheduler.SchedulingAlgorithm}, assume, reserve),
 *   asynchronous binding, failure handling with upstream's message ({@link io.jk8s.scheduler.FitError}),
 *   events and the {@code PodScheduled} condition.</li>
 *   <li>{@code framework}: extension points as tiny interfaces, {@code Status}, {@code CycleState},
 *   {@code NodeInfo}/{@code PodInfo}, the plugin runner; {@code plugins}: one plugin per file;
 *   {@code cache}: nodes plus assumed pods and incremental snapshots; {@code queue}: active, backoff and
 *   unschedulable pods, nominations.</li>
 * </ul>
 */
package io.jk8s.scheduler;
