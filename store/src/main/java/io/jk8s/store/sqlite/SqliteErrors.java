package io.jk8s.store.sqlite;

import io.jk8s.store.StoreException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** Turns SQLite failures into {@link StoreException}s whose message says what the operator should look at. */
final class SqliteErrors {

    private SqliteErrors() {}

    static StoreException translate(String what, Throwable e) {
        if (e instanceof StoreException se) {
            return se;
        }
        if (e instanceof SQLiteException sqe) {
            SQLiteErrorCode code = sqe.getResultCode();
            String base = code == null ? "" : code.name();
            if (base.startsWith("SQLITE_BUSY") || base.startsWith("SQLITE_LOCKED")) {
                return new StoreException(what + ": the database is locked by another process or connection (" + e.getMessage() + ")", e);
            }
            if (base.startsWith("SQLITE_NOTADB") || base.startsWith("SQLITE_CORRUPT")) {
                return new StoreException(what + ": the database file is corrupt or not an SQLite database (" + e.getMessage()
                        + "); it was left untouched: restore it from a backup or move it away", e);
            }
        }
        return new StoreException(what + ": " + e.getMessage(), e);
    }
}
