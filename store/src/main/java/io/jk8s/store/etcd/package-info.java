/**
 * {@link io.jk8s.store.etcd.EtcdStore}: the store on an external etcd v3 cluster through jetcd, with
 * watches that resume from the last delivered revision when a member or connection fails.
 */
package io.jk8s.store.etcd;
