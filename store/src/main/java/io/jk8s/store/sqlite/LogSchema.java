package io.jk8s.store.sqlite;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The kine-style log table. Every write appends one row whose id is its revision; a delete appends a
 * tombstone ({@code deleted = 1}) that carries the deleted value. {@code prev_revision} points at the
 * key's previous row, and {@code UNIQUE(name, prev_revision)} makes two writers that read the same
 * version unable to both append after it (the compare-and-swap, enforced by the database itself).
 */
final class LogSchema {

    static final int VERSION = 1;

    private LogSchema() {}

    static void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("""
                    CREATE TABLE IF NOT EXISTS kine(
                      id INTEGER PRIMARY KEY,
                      name TEXT NOT NULL,
                      deleted INTEGER NOT NULL,
                      create_revision INTEGER NOT NULL,
                      prev_revision INTEGER NOT NULL,
                      version INTEGER NOT NULL,
                      value BLOB NOT NULL)""");
            s.executeUpdate("CREATE INDEX IF NOT EXISTS kine_name_id ON kine(name, id)");
            s.executeUpdate("CREATE UNIQUE INDEX IF NOT EXISTS kine_name_prev ON kine(name, prev_revision)");
            s.executeUpdate("CREATE TABLE IF NOT EXISTS jk8s_meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL)");
            s.executeUpdate("INSERT OR IGNORE INTO jk8s_meta(key, value) VALUES ('schema_version', " + VERSION + ")");
            s.executeUpdate("INSERT OR IGNORE INTO jk8s_meta(key, value) VALUES ('compact_revision', 0)");
        }
    }

    static long meta(Connection c, String key) throws SQLException {
        try (var ps = c.prepareStatement("SELECT value FROM jk8s_meta WHERE key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    static void setMeta(Connection c, String key, long value) throws SQLException {
        try (var ps = c.prepareStatement("UPDATE jk8s_meta SET value = ? WHERE key = ?")) {
            ps.setLong(1, value);
            ps.setString(2, key);
            ps.executeUpdate();
        }
    }

    static long maxId(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(id), 0) FROM kine")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
