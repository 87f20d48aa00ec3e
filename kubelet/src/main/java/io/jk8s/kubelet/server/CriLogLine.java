package io.jk8s.kubelet.server;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Optional;

/**
 * One line of a CRI container log file: {@code <RFC3339Nano> <stdout|stderr> <P|F> <message>}.
 * The runtime splits long writes into partial ({@code P}) lines; the full ({@code F}) line ends
 * the logical line, so only it gets the newline back when the log is shown.
 *
 * @param timestamp when the runtime read the bytes, with the zone it wrote
 * @param stream    {@code stdout} or {@code stderr}
 * @param partial   true for a {@code P} line
 * @param content   the message bytes, without the file's line terminator
 */
record CriLogLine(OffsetDateTime timestamp, String stream, boolean partial, byte[] content) {

    /** Upstream's output format for {@code timestamps=true}: always nine fractional digits. */
    static final DateTimeFormatter OUTPUT_TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX");

    /** Parses one line (without its {@code \n}); empty if it is not in CRI format. */
    static Optional<CriLogLine> parse(byte[] line, int length) {
        int first = indexOf(line, 0, length);
        int second = first < 0 ? -1 : indexOf(line, first + 1, length);
        if (second < 0) {
            return Optional.empty();
        }
        int third = indexOf(line, second + 1, length);
        int tagEnd = third < 0 ? length : third;
        String stream = new String(line, first + 1, second - first - 1, StandardCharsets.US_ASCII);
        if (!stream.equals("stdout") && !stream.equals("stderr")) {
            return Optional.empty();
        }
        // Tags are ':'-separated; the first one is P or F.
        String tags = new String(line, second + 1, tagEnd - second - 1, StandardCharsets.US_ASCII);
        boolean partial = tags.startsWith("P");
        if (!partial && !tags.startsWith("F")) {
            return Optional.empty();
        }
        OffsetDateTime timestamp;
        try {
            timestamp = OffsetDateTime.parse(new String(line, 0, first, StandardCharsets.US_ASCII));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
        byte[] content = third < 0 ? new byte[0] : Arrays.copyOfRange(line, third + 1, length);
        return Optional.of(new CriLogLine(timestamp, stream, partial, content));
    }

    private static int indexOf(byte[] line, int from, int length) {
        for (int i = from; i < length; i++) {
            if (line[i] == ' ') {
                return i;
            }
        }
        return -1;
    }
}
