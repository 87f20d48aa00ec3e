package io.jk8s.store;

class MemoryStoreTest extends StoreConformanceTest {

    @Override
    protected Store newStore() {
        return new MemoryStore();
    }
}
