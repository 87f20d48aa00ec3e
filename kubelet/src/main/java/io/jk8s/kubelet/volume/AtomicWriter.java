package io.jk8s.kubelet.volume;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Writes a volume's files so that readers see either the whole old set or the whole new set,
 * never a mix, exactly as upstream's atomic writer lays them out:
 * <pre>
 *   target/..2026_11_23_12_00_00.1234567   the files of one version
 *   target/..data -> ..2026_11_23_12_00_00.1234567   swapped by rename(2), which is atomic
 *   target/key -> ..data/key               user-visible names (one per top-level path element)
 * </pre>
 * An unchanged payload writes nothing.
 */
public final class AtomicWriter {

    static final String DATA_DIR = "..data";
    private static final String DATA_DIR_TMP = "..data_tmp";
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("'..'yyyy_MM_dd_HH_mm_ss.").withZone(ZoneOffset.UTC);

    private final Path target;
    private final Clock clock;

    public AtomicWriter(Path target, Clock clock) {
        this.target = target;
        this.clock = clock;
    }

    /** Makes {@code target} hold exactly {@code payload} (relative path → file). Returns whether anything changed. */
    public boolean write(Map<String, FileProjection> payload) throws IOException {
        for (String path : payload.keySet()) {
            validatePath(path);
        }
        Files.createDirectories(target);
        Path dataLink = target.resolve(DATA_DIR);
        Path oldVersion = Files.isSymbolicLink(dataLink) ? target.resolve(Files.readSymbolicLink(dataLink)) : null;
        if (oldVersion != null && read(oldVersion).equals(payload)) {
            return false;
        }
        Path version = Files.createDirectory(target.resolve(TS.format(clock.instant())
                + Integer.toUnsignedString(ThreadLocalRandom.current().nextInt(), 36)));
        Files.setPosixFilePermissions(version, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (var e : payload.entrySet()) {
            Path file = version.resolve(e.getKey());
            Files.createDirectories(file.getParent());
            Files.write(file, e.getValue().data());
            Files.setPosixFilePermissions(file, permissions(e.getValue().mode()));
        }
        Path tmpLink = target.resolve(DATA_DIR_TMP);
        Files.deleteIfExists(tmpLink);
        Files.createSymbolicLink(tmpLink, version.getFileName());
        Files.move(tmpLink, dataLink, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        Set<String> visible = new HashSet<>();
        for (String path : payload.keySet()) {
            visible.add(path.split("/", 2)[0]);
        }
        for (String name : visible) {
            try {
                Files.createSymbolicLink(target.resolve(name), Path.of(DATA_DIR, name));
            } catch (FileAlreadyExistsException alreadyLinked) {
                // points into ..data already; the swap above changed what it shows
            }
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(target)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.startsWith("..") && !visible.contains(name)) {
                    Files.delete(entry); // a key that is gone from the payload
                }
            }
        }
        if (oldVersion != null && !oldVersion.equals(version)) {
            deleteTree(oldVersion);
        }
        return true;
    }

    /** The payload of one version directory, for the "unchanged?" check. */
    private static Map<String, FileProjection> read(Path version) throws IOException {
        Map<String, FileProjection> files = new HashMap<>();
        if (!Files.isDirectory(version)) {
            return files;
        }
        try (Stream<Path> walk = Files.walk(version)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(version.relativize(p).toString(), new FileProjection(Files.readAllBytes(p),
                        mode(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS))));
            }
        }
        return files;
    }

    /** Upstream's rules: relative, no '..' element, not starting with '..', not empty. */
    static void validatePath(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.startsWith("..")) {
            throw new IllegalArgumentException("invalid path " + path);
        }
        for (String element : path.split("/")) {
            if (element.equals("..")) {
                throw new IllegalArgumentException("invalid path " + path + ": must not contain '..'");
            }
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(order[bit]);
            }
        }
        return set;
    }

    static int mode(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (int bit = 0; bit < 9; bit++) {
            if (permissions.contains(permissions(1 << bit).iterator().next())) {
                mode |= 1 << bit;
            }
        }
        return mode;
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
