package io.jk8s.kubelet.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * The content of one image layer, built in memory: files, directories and symlinks. Parent
 * directories are added implicitly and entries are written in path order, so equal content
 * gives byte-identical tars.
 */
final class Layer {

    private sealed interface Entry permits Dir, File, Link {
        String path();
    }

    private record Dir(String path, int mode) implements Entry {}

    private record File(String path, int mode, byte[] content) implements Entry {}

    private record Link(String path, String target) implements Entry {}

    private final List<Entry> entries = new ArrayList<>();

    Layer directory(String path, int mode) {
        entries.add(new Dir(relative(path), mode));
        return this;
    }

    Layer file(String path, int mode, byte[] content) {
        entries.add(new File(relative(path), mode, content));
        return this;
    }

    Layer symlink(String path, String target) {
        entries.add(new Link(relative(path), target));
        return this;
    }

    boolean contains(String path) {
        String wanted = relative(path);
        return entries.stream().anyMatch(e -> e.path().equals(wanted));
    }

    /** The layer as an uncompressed tar. */
    byte[] toTar() {
        TreeSet<String> explicitDirs = new TreeSet<>();
        entries.stream().filter(e -> e instanceof Dir).forEach(e -> explicitDirs.add(e.path()));
        TreeSet<String> impliedDirs = new TreeSet<>();
        for (Entry e : entries) {
            String p = e.path();
            for (int i = p.indexOf('/'); i > 0; i = p.indexOf('/', i + 1)) {
                String parent = p.substring(0, i);
                if (!explicitDirs.contains(parent)) {
                    impliedDirs.add(parent);
                }
            }
        }
        List<Entry> all = new ArrayList<>(entries);
        impliedDirs.forEach(d -> all.add(new Dir(d, 0755)));
        all.sort(Comparator.comparing(Entry::path));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarWriter tar = new TarWriter(bytes)) {
            for (Entry e : all) {
                switch (e) {
                    case Dir d -> tar.directory(d.path(), d.mode());
                    case File f -> tar.file(f.path(), f.mode(), f.content());
                    case Link l -> tar.symlink(l.path(), l.target());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static String relative(String path) {
        String p = path;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.isEmpty() || p.contains("..")) {
            throw new IllegalArgumentException("bad layer path: " + path);
        }
        return p;
    }
}
