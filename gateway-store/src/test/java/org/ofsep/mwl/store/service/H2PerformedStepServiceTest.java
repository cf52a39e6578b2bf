package org.ofsep.mwl.store.service;

import org.ofsep.mwl.store.DatabaseSettings;

class H2PerformedStepServiceTest extends PerformedStepServiceContract {
    @Override
    protected DatabaseSettings newDatabase() {
        return h2();
    }
}
