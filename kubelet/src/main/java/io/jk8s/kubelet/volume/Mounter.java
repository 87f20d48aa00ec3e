package io.jk8s.kubelet.volume;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/** The mount operations volumes need: memory-backed directories and their removal. */
public interface Mounter {

    /** Mounts a tmpfs on {@code dir} (which exists) unless one is there already; size unlimited when empty. */
    void mountTmpfs(Path dir, OptionalLong sizeBytes) throws IOException;

    /** Mount points at or below {@code root}, deepest first. */
    List<Path> mountsBelow(Path root) throws IOException;

    void unmount(Path mountPoint) throws IOException;

    /** For tests that must not mount: directories stay plain directories. */
    Mounter NONE = new Mounter() {
        @Override
        public void mountTmpfs(Path dir, OptionalLong sizeBytes) {
        }

        @Override
        public List<Path> mountsBelow(Path root) {
            return List.of();
        }

        @Override
        public void unmount(Path mountPoint) {
        }
    };
}
