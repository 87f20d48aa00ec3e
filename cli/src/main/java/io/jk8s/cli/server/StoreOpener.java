package io.jk8s.cli.server;

import io.jk8s.store.Store;
import io.jk8s.store.etcd.EtcdStore;
import io.jk8s.store.sqlite.SqliteStore;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

/** Chooses the store from the flags: etcd when endpoints are given, else embedded SQLite. */
final class StoreOpener {

    private StoreOpener() {
    }

    static Store open(List<String> etcdEndpoints, DataDir dataDir) throws IOException {
        if (!etcdEndpoints.isEmpty()) {
            return EtcdStore.connect(etcdEndpoints);
        }
        Files.createDirectories(dataDir.sqliteDatabase().getParent());
        return SqliteStore.open(dataDir.sqliteDatabase());
    }

    static String describe(List<String> etcdEndpoints, DataDir dataDir) {
        return etcdEndpoints.isEmpty() ? "sqlite " + dataDir.sqliteDatabase() : "etcd " + String.join(",", etcdEndpoints);
    }
}
