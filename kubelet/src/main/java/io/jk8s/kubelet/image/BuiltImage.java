package io.jk8s.kubelet.image;

import java.nio.file.Path;

/**
 * An image archive built on this node.
 *
 * @param name     fully qualified reference, e.g. {@code docker.io/library/busybox:1.35}
 * @param archive  the OCI archive on disk
 * @param imageId  the config digest: what CRI reports as the image id once imported
 */
public record BuiltImage(String name, Path archive, String imageId) {}
