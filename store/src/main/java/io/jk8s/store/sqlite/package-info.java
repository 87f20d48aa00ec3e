/**
 * The embedded store: {@link io.jk8s.store.sqlite.SqliteStore}, a kine-style append-only log in one
 * SQLite file with group commit and in-process watch push.
 */
package io.jk8s.store.sqlite;
