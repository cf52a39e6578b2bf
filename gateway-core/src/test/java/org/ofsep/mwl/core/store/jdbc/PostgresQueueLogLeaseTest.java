package org.ofsep.mwl.core.store.jdbc;

class PostgresQueueLogLeaseTest extends QueueLogLeaseContract {
    @Override
    protected DatabaseSettings newDatabase() {
        return EmbeddedPg.newDatabase();
    }
}
