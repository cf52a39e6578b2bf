package org.ofsep.mwl.core.service;

import org.ofsep.mwl.core.store.jdbc.DatabaseSettings;

class H2PerformedStepServiceTest extends PerformedStepServiceContract {
    @Override
    protected DatabaseSettings newDatabase() {
        return h2();
    }
}
