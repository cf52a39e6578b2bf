package org.ofsep.mwl.core.service;

import org.ofsep.mwl.core.store.jdbc.DatabaseSettings;
import org.ofsep.mwl.core.store.jdbc.EmbeddedPg;

class PostgresHousekeepingTest extends HousekeepingContract {
    @Override
    protected DatabaseSettings newDatabase() {
        return EmbeddedPg.newDatabase();
    }
}
