package org.ofsep.mwl.core.service;

import org.ofsep.mwl.core.store.jdbc.DatabaseSettings;
import org.ofsep.mwl.core.store.jdbc.EmbeddedPg;

class PostgresPerformedStepServiceTest extends PerformedStepServiceContract {
    @Override
    protected DatabaseSettings newDatabase() {
        return EmbeddedPg.newDatabase();
    }
}
