package io.jk8s.store.sqlite;

import io.jk8s.store.Store;
import io.jk8s.store.StoreConformanceTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreConformanceTest extends StoreConformanceTest {

    @TempDir
    Path dir;

    @Override
    protected Store newStore() {
        return SqliteStore.open(dir.resolve("state.db"));
    }
}
