/**
 * The node's pod network across machines, flannel's job written in Java: node IPAM (in the
 * controller manager) gives each Node a pod range, the kubelet's CNI bridge serves it locally,
 * and {@link io.jk8s.network.NetworkAgent} on every node routes the other nodes' ranges to them
 * (direct routes on a shared L2 subnet, VXLAN {@code jk8s.1} otherwise), masquerades pod traffic
 * leaving the cluster and keeps unassigned cluster and service addresses on the host
 * ({@link io.jk8s.network.HostRules}). All kernel changes go through {@link io.jk8s.network.Host}
 * ({@code ip}, {@code bridge}, {@code iptables-restore} as processes).
 */
package io.jk8s.network;
