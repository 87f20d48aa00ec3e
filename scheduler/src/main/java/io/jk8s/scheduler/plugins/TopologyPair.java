package io.jk8s.scheduler.plugins;

/** A topology domain: a node label key and its value, e.g. {@code topology.kubernetes.io/zone=a}. */
record TopologyPair(String key, String value) {
}
