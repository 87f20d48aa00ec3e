/**
 * Hollow nodes (kubemark-style): {@link io.jk8s.hollow.HollowNodes} registers N fake Nodes with
 * capacity, Ready conditions and Lease heartbeats, and reports the pods bound to them Running
 * without running anything, so the control plane can be exercised at thousands of nodes on one
 * machine.
 */
package io.jk8s.hollow;
