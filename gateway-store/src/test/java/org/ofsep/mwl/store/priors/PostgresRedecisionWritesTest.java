package org.ofsep.mwl.store.priors;

import org.ofsep.mwl.store.DatabaseSettings;
import org.ofsep.mwl.store.EmbeddedPg;

class PostgresRedecisionWritesTest extends RedecisionWritesContract {
    @Override
    protected DatabaseSettings newDatabase() {
        return EmbeddedPg.newDatabase();
    }
}
