package org.ofsep.mwl.core.store.jdbc;

class H2WorklistStoreTest extends WorklistStoreContract {
    @Override
    protected DatabaseSettings newDatabase() {
        return h2();
    }
}
