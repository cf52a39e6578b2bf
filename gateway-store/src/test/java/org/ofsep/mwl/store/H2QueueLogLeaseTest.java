package org.ofsep.mwl.store;

class H2QueueLogLeaseTest extends QueueLogLeaseContract {
    @Override
    protected DatabaseSettings newDatabase() {
        return h2();
    }
}
