package io.jk8s.kubelet.image;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a POSIX ustar archive: directories, regular files and symbolic links, owned by root,
 * with a fixed modification time so that the same content always gives the same bytes (and so
 * the same image digest).
 */
final class TarWriter implements AutoCloseable {

    private static final int BLOCK = 512;
    /** 2024-01-01T00:00:00Z: fixed so that layer digests are reproducible. */
    private static final long MTIME = 1_704_067_200L;

    private final OutputStream out;

    TarWriter(OutputStream out) {
        this.out = out;
    }

    void directory(String path, int mode) throws IOException {
        header(path.endsWith("/") ? path : path + "/", mode, 0, '5', "");
    }

    void file(String path, int mode, byte[] content) throws IOException {
        header(path, mode, content.length, '0', "");
        out.write(content);
        pad(content.length);
    }

    void symlink(String path, String target) throws IOException {
        header(path, 0777, 0, '2', target);
    }

    private void header(String path, int mode, long size, char type, String linkTarget) throws IOException {
        byte[] header = new byte[BLOCK];
        String name = path;
        String prefix = "";
        if (utf8(name).length > 100) {
            // ustar splits long paths at a '/' into prefix (155) and name (100).
            int split = path.lastIndexOf('/', path.length() - 2);
            while (split > 0 && utf8(path.substring(split + 1)).length > 100) {
                split = path.lastIndexOf('/', split - 1);
            }
            if (split <= 0 || utf8(path.substring(0, split)).length > 155) {
                throw new IOException("path too long for ustar: " + path);
            }
            prefix = path.substring(0, split);
            name = path.substring(split + 1);
        }
        if (utf8(linkTarget).length > 100) {
            throw new IOException("link target too long for ustar: " + linkTarget);
        }
        put(header, 0, 100, utf8(name));
        octal(header, 100, 8, mode);
        octal(header, 108, 8, 0);
        octal(header, 116, 8, 0);
        octal(header, 124, 12, size);
        octal(header, 136, 12, MTIME);
        header[156] = (byte) type;
        put(header, 157, 100, utf8(linkTarget));
        put(header, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(header, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        put(header, 265, 32, utf8("root"));
        put(header, 297, 32, utf8("root"));
        put(header, 345, 155, utf8(prefix));
        // The checksum is computed with its own field read as eight spaces.
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        byte[] checksum = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(checksum, 0, header, 148, 8);
        out.write(header);
    }

    private void pad(long size) throws IOException {
        int remainder = (int) (size % BLOCK);
        if (remainder != 0) {
            out.write(new byte[BLOCK - remainder]);
        }
    }

    private static void octal(byte[] header, int offset, int length, long value) {
        String digits = Long.toOctalString(value);
        String padded = "0".repeat(length - 1 - digits.length()) + digits;
        put(header, offset, length, (padded + "\0").getBytes(StandardCharsets.US_ASCII));
    }

    private static void put(byte[] header, int offset, int length, byte[] value) {
        System.arraycopy(value, 0, header, offset, Math.min(length, value.length));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Writes the end-of-archive marker (two zero blocks); does not close the stream. */
    @Override
    public void close() throws IOException {
        out.write(new byte[2 * BLOCK]);
        out.flush();
    }
}
