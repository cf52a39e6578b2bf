package org.ofsep.mwl.core.store.jdbc;

class PostgresWorklistStoreTest extends WorklistStoreContract {
    @Override
    protected DatabaseSettings newDatabase() {
        return EmbeddedPg.newDatabase();
    }
}
