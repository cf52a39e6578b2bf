package org.ofsep.mwl.store.priors;

import org.ofsep.mwl.store.DatabaseSettings;

class H2RedecisionWritesTest extends RedecisionWritesContract {
    @Override
    protected DatabaseSettings newDatabase() {
        return h2();
    }
}
