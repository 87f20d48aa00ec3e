/**
 * Pod volumes on the node: API objects rendered into files ({@link io.jk8s.kubelet.volume.AtomicWriter},
 * the {@code ..data} symlink swap upstream uses, so a running container sees either the old or the
 * new set of files), memory-backed directories ({@link io.jk8s.kubelet.volume.Mounter}) and
 * persistent volume claims resolved to host paths. {@link io.jk8s.kubelet.volume.VolumeManager}
 * is the entry point; {@link io.jk8s.kubelet.volume.DownwardApi} is shared with env resolution.
 */
package io.jk8s.kubelet.volume;
