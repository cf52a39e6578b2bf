package org.ofsep.mwl.store.service;

import org.ofsep.mwl.store.DatabaseSettings;
import org.ofsep.mwl.store.EmbeddedPg;

class PostgresHousekeepingTest extends HousekeepingContract {
    @Override
    protected DatabaseSettings newDatabase() {
        return EmbeddedPg.newDatabase();
    }
}
