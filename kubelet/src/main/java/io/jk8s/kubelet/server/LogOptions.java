package io.jk8s.kubelet.server;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The query parameters of {@code /containerLogs}, validated as upstream's
 * {@code ValidatePodLogOptions} does; a bad value is a 400 naming the parameter.
 *
 * @param follow     keep streaming until the container stops or the client goes away
 * @param previous   read the previous (terminated) instance of the container
 * @param tailLines  only the last N lines of the file
 * @param since      only lines written at or after this instant
 * @param timestamps prefix every line with its RFC 3339 timestamp
 * @param limitBytes stop after this many bytes of output
 */
record LogOptions(boolean follow, boolean previous, OptionalLong tailLines, Optional<Instant> since,
                  boolean timestamps, OptionalLong limitBytes) {

    static final LogOptions DEFAULTS = new LogOptions(false, false, OptionalLong.empty(), Optional.empty(),
            false, OptionalLong.empty());

    static LogOptions parse(Map<String, List<String>> query, Clock clock) {
        OptionalLong tail = number(query, "tailLines", 0);
        OptionalLong sinceSeconds = number(query, "sinceSeconds", 1);
        Optional<String> sinceTime = single(query, "sinceTime");
        if (sinceSeconds.isPresent() && sinceTime.isPresent()) {
            throw RequestFailure.badRequest("at most one of sinceTime or sinceSeconds may be specified");
        }
        Optional<Instant> since = Optional.empty();
        if (sinceSeconds.isPresent()) {
            since = Optional.of(clock.instant().minusSeconds(sinceSeconds.getAsLong()));
        } else if (sinceTime.isPresent()) {
            try {
                since = Optional.of(OffsetDateTime.parse(sinceTime.get()).toInstant());
            } catch (DateTimeParseException e) {
                throw RequestFailure.badRequest("sinceTime: invalid RFC 3339 time \"" + sinceTime.get() + "\"");
            }
        }
        return new LogOptions(flag(query, "follow"), flag(query, "previous"), tail, since,
                flag(query, "timestamps"), number(query, "limitBytes", 1));
    }

    private static Optional<String> single(Map<String, List<String>> query, String name) {
        List<String> values = query.getOrDefault(name, List.of());
        return values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    /** Go's strconv.ParseBool, which the API's query decoding uses. */
    static boolean flag(Map<String, List<String>> query, String name) {
        Optional<String> value = single(query, name);
        if (value.isEmpty()) {
            return false;
        }
        return switch (value.get()) {
            case "1", "t", "T", "true", "TRUE", "True" -> true;
            case "0", "f", "F", "false", "FALSE", "False", "" -> false;
            default -> throw RequestFailure.badRequest(name + ": invalid boolean \"" + value.get() + "\"");
        };
    }

    private static OptionalLong number(Map<String, List<String>> query, String name, long minimum) {
        Optional<String> value = single(query, name);
        if (value.isEmpty()) {
            return OptionalLong.empty();
        }
        long parsed;
        try {
            parsed = Long.parseLong(value.get());
        } catch (NumberFormatException e) {
            throw RequestFailure.badRequest(name + ": invalid integer \"" + value.get() + "\"");
        }
        if (parsed < minimum) {
            throw RequestFailure.badRequest(name + ": must be greater than or equal to " + minimum);
        }
        return OptionalLong.of(parsed);
    }
}
