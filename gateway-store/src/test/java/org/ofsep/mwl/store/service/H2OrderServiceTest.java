package org.ofsep.mwl.store.service;

import org.ofsep.mwl.store.DatabaseSettings;

class H2OrderServiceTest extends OrderServiceContract {
    @Override
    protected DatabaseSettings newDatabase() {
        return h2();
    }
}
