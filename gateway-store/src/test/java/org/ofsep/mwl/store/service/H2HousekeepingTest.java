package org.ofsep.mwl.store.service;

import org.ofsep.mwl.store.DatabaseSettings;

class H2HousekeepingTest extends HousekeepingContract {
    @Override
    protected DatabaseSettings newDatabase() {
        return h2();
    }
}
