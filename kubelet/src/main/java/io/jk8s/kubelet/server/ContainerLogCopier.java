package io.jk8s.kubelet.server;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Copies a CRI log file to a client as {@code kubectl logs} shows it: partial lines joined,
 * {@code tailLines}, {@code since}, {@code timestamps} and {@code limitBytes} applied, and with
 * {@code follow} new lines streamed as the runtime appends them (inotify through a
 * {@link WatchService}) until the container stops. Stops early when the calling thread is
 * interrupted (the client went away). Lines not in CRI format are skipped.
 */
final class ContainerLogCopier {

    /** How often a follow re-checks the container's state when the file is quiet. */
    private static final long STATE_CHECK_MILLIS = 1000;

    private final LogOptions options;
    private final OutputStream out;
    private long written;
    private boolean atLineStart = true;

    ContainerLogCopier(LogOptions options, OutputStream out) {
        this.options = options;
        this.out = out;
    }

    /**
     * @param file    the container's log file
     * @param running whether the container still runs (only asked when following)
     */
    void copy(Path file, BooleanSupplier running) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long start = options.tailLines().isPresent() ? tailStart(channel, options.tailLines().getAsLong()) : 0;
            channel.position(start);
            LineSplitter lines = new LineSplitter(channel);
            if (!options.follow()) {
                lines.forEachComplete(this::emit);
                out.flush();
                return;
            }
            try (WatchService watcher = FileSystems.getDefault().newWatchService()) {
                file.toAbsolutePath().getParent().register(watcher, StandardWatchEventKinds.ENTRY_MODIFY);
                follow(lines, watcher, running);
            } catch (ClosedWatchServiceException e) {
                // closed by an interrupt: the client went away
            }
        }
    }

    private void follow(LineSplitter lines, WatchService watcher, BooleanSupplier running) throws IOException {
        long lastStateCheck = System.nanoTime();
        while (true) {
            if (!lines.forEachComplete(this::emit)) {
                return; // limitBytes reached
            }
            out.flush();
            long now = System.nanoTime();
            if (TimeUnit.NANOSECONDS.toMillis(now - lastStateCheck) >= STATE_CHECK_MILLIS) {
                lastStateCheck = now;
                if (!running.getAsBoolean()) {
                    // The runtime has closed the file: what is there now is everything.
                    lines.forEachComplete(this::emit);
                    out.flush();
                    return;
                }
            }
            try {
                var key = watcher.poll(STATE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("log follow cancelled");
            }
        }
    }

    /** Writes one CRI line; returns false once {@code limitBytes} is reached. */
    private boolean emit(byte[] raw, int length) throws IOException {
        var parsed = CriLogLine.parse(raw, length);
        if (parsed.isEmpty()) {
            return true;
        }
        CriLogLine line = parsed.get();
        if (options.since().isPresent() && line.timestamp().toInstant().isBefore(options.since().get())) {
            return true;
        }
        byte[] text = line.content();
        if (options.timestamps() && atLineStart) {
            byte[] prefix = (CriLogLine.OUTPUT_TIMESTAMP.format(line.timestamp()) + " ").getBytes(StandardCharsets.US_ASCII);
            if (!write(prefix)) {
                return false;
            }
        }
        atLineStart = !line.partial();
        if (!write(text)) {
            return false;
        }
        return line.partial() || write(new byte[]{'\n'});
    }

    private boolean write(byte[] bytes) throws IOException {
        long limit = options.limitBytes().orElse(Long.MAX_VALUE);
        long room = limit - written;
        int n = (int) Math.min(bytes.length, room);
        out.write(bytes, 0, n);
        written += n;
        return written < limit;
    }

    /** Offset of the first of the last {@code lines} lines (upstream counts raw file lines). */
    static long tailStart(FileChannel channel, long lines) throws IOException {
        long size = channel.size();
        if (lines == 0 || size == 0) {
            return size;
        }
        ByteBuffer block = ByteBuffer.allocate(8192);
        long end = size;
        // The file's last newline ends the last line rather than starting a new one.
        ByteBuffer last = ByteBuffer.allocate(1);
        channel.read(last, size - 1);
        if (last.get(0) == '\n') {
            end = size - 1;
        }
        long found = 0;
        while (end > 0) {
            int n = (int) Math.min(block.capacity(), end);
            long from = end - n;
            block.clear().limit(n);
            while (block.hasRemaining()) {
                if (channel.read(block, from + block.position()) < 0) {
                    throw new IOException("log file shrank while reading");
                }
            }
            for (int i = n - 1; i >= 0; i--) {
                if (block.get(i) == '\n' && ++found == lines) {
                    return from + i + 1;
                }
            }
            end = from;
        }
        return 0;
    }

    /** Receives one complete line (without {@code \n}); returns false to stop. */
    @FunctionalInterface
    interface LineConsumer {
        boolean accept(byte[] line, int length) throws IOException;
    }

    /** Splits what the channel has so far into lines, keeping an unfinished last line for later. */
    static final class LineSplitter {
        private final FileChannel channel;
        private final ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        private byte[] pending = new byte[16 * 1024];
        private int pendingLength;

        LineSplitter(FileChannel channel) {
            this.channel = channel;
        }

        /** Feeds every complete line available now; returns false if the consumer stopped. */
        boolean forEachComplete(LineConsumer consumer) throws IOException {
            while (true) {
                chunk.clear();
                int n = channel.read(chunk);
                if (n <= 0) {
                    return true;
                }
                for (int i = 0; i < n; i++) {
                    byte b = chunk.get(i);
                    if (b == '\n') {
                        int length = pendingLength;
                        pendingLength = 0;
                        if (!consumer.accept(pending, length)) {
                            return false;
                        }
                    } else {
                        if (pendingLength == pending.length) {
                            pending = Arrays.copyOf(pending, pending.length * 2);
                        }
                        pending[pendingLength++] = b;
                    }
                }
            }
        }
    }
}
