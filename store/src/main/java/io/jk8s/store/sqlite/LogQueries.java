package io.jk8s.store.sqlite;

import io.jk8s.store.KeyValue;
import io.jk8s.store.WatchEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The read and compaction SQL on the log table (see {@link LogSchema}); callers supply the connection. */
final class LogQueries {

    private LogQueries() {}

    /** The key's latest live version. */
    static Optional<KeyValue> latest(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT deleted, value, create_revision, id, version FROM kine WHERE name = ? ORDER BY id DESC LIMIT 1")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getInt(1) != 0) {
                    return Optional.empty();
                }
                return Optional.of(new KeyValue(key, rs.getBytes(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
            }
        }
    }

    /**
     * The live keys under {@code prefix} from {@code start}, as of {@code rev}, at most {@code max}
     * (0 = all). With a limit, keys are visited in chunks of the index (name, id) so that a page costs
     * in proportion to its size rather than to the rest of the prefix; deleted keys only widen a chunk.
     */
    static List<KeyValue> scanLatest(Connection c, String prefix, String start, String end, long rev, int max)
            throws SQLException {
        String sql = "SELECT k.name, k.value, k.create_revision, k.id, k.version, k.deleted FROM kine k JOIN "
                + "(SELECT MAX(id) AS id FROM kine WHERE name >= ?" + (end == null ? "" : " AND name < ?")
                + " AND id <= ? GROUP BY name ORDER BY name" + (max > 0 ? " LIMIT ?" : "") + ") m ON k.id = m.id ORDER BY k.name";
        List<KeyValue> out = new ArrayList<>();
        String from = start;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            while (true) {
                int chunk = max > 0 ? Math.max(max - out.size(), 64) : 0;
                int i = 1;
                ps.setString(i++, from);
                if (end != null) {
                    ps.setString(i++, end);
                }
                ps.setLong(i++, rev);
                if (max > 0) {
                    ps.setInt(i, chunk);
                }
                int scanned = 0;
                String last = null;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        scanned++;
                        last = rs.getString(1);
                        if (rs.getInt(6) == 0 && last.startsWith(prefix) && (max == 0 || out.size() < max)) {
                            out.add(new KeyValue(last, rs.getBytes(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
                        }
                    }
                }
                if (max == 0 || scanned < chunk || out.size() >= max) {
                    return out;
                }
                from = last + "\0"; // the smallest key after the last one visited
            }
        }
    }

    /** Number of live keys in [start, end) at the latest revision. */
    static long count(Connection c, String start, String end) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM kine k WHERE k.id IN "
                + "(SELECT MAX(id) FROM kine WHERE name >= ? AND name < ? GROUP BY name) AND k.deleted = 0")) {
            ps.setString(1, start);
            ps.setString(2, end);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The changes under {@code prefix} with revisions in (after, upTo], oldest first, at most {@code max}. */
    static List<WatchEvent> events(Connection c, String prefix, String end, long after, long upTo, int max) throws SQLException {
        String sql = "SELECT k.id, k.name, k.deleted, k.create_revision, k.version, k.value,"
                + " p.id, p.deleted, p.create_revision, p.version, p.value"
                + " FROM kine k LEFT JOIN kine p ON p.id = k.prev_revision"
                + " WHERE k.id > ? AND k.id <= ? AND k.name >= ?" + (end == null ? "" : " AND k.name < ?")
                + " ORDER BY k.id LIMIT " + max;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, after);
            ps.setLong(2, upTo);
            ps.setString(3, prefix);
            if (end != null) {
                ps.setString(4, end);
            }
            List<WatchEvent> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(2);
                    if (name.startsWith(prefix)) {
                        out.add(toEvent(rs, name));
                    }
                }
            }
            return out;
        }
    }

    private static WatchEvent toEvent(ResultSet rs, String name) throws SQLException {
        long id = rs.getLong(1);
        boolean deleted = rs.getInt(3) != 0;
        long createRevision = rs.getLong(4);
        KeyValue prev = null;
        rs.getLong(7);
        if (!rs.wasNull() && rs.getInt(8) == 0) {
            prev = new KeyValue(name, rs.getBytes(11), rs.getLong(9), rs.getLong(7), rs.getLong(10));
        }
        if (deleted) {
            return new WatchEvent(WatchEvent.Type.DELETE, new KeyValue(name, new byte[0], createRevision, id, 0), prev);
        }
        return new WatchEvent(WatchEvent.Type.PUT, new KeyValue(name, rs.getBytes(6), createRevision, id, rs.getLong(5)), prev);
    }

    static long lowestRevision(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE(MIN(id), 0) FROM kine")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Deletes, among rows with ids in (lo, hi], those no read at or after {@code compactRevision}
     * can see: versions superseded by a newer row at or below it, and tombstones (a key deleted at
     * or below the compaction point has no visible version there).
     */
    static int deleteSuperseded(Connection c, long lo, long hi, long compactRevision) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM kine WHERE id > ? AND id <= ? AND (deleted = 1 OR EXISTS "
                        + "(SELECT 1 FROM kine n WHERE n.name = kine.name AND n.id > kine.id AND n.id <= ?))")) {
            ps.setLong(1, lo);
            ps.setLong(2, hi);
            ps.setLong(3, compactRevision);
            return ps.executeUpdate();
        }
    }

    /** SQLite's integrity check: the problems found, empty when the file is sound. */
    static List<String> integrityProblems(Connection c) throws SQLException {
        List<String> problems = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            while (rs.next()) {
                if (!"ok".equals(rs.getString(1))) {
                    problems.add(rs.getString(1));
                }
            }
        }
        return problems;
    }
}
