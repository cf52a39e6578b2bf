package org.ofsep.mwl.core.store.jdbc;

class H2QueueLogLeaseTest extends QueueLogLeaseContract {
    @Override
    protected DatabaseSettings newDatabase() {
        return h2();
    }
}
