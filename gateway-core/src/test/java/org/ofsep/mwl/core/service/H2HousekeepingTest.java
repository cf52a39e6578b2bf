package org.ofsep.mwl.core.service;

import org.ofsep.mwl.core.store.jdbc.DatabaseSettings;

class H2HousekeepingTest extends HousekeepingContract {
    @Override
    protected DatabaseSettings newDatabase() {
        return h2();
    }
}
