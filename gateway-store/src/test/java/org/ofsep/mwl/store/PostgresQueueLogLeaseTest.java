package org.ofsep.mwl.store;

class PostgresQueueLogLeaseTest extends QueueLogLeaseContract {
    @Override
    protected DatabaseSettings newDatabase() {
        return EmbeddedPg.newDatabase();
    }
}
