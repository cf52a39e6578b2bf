package org.ofsep.mwl.store.service;

import org.ofsep.mwl.store.DatabaseSettings;
import org.ofsep.mwl.store.EmbeddedPg;

/** The radiologist review's tests on PostgreSQL (the review list's LEFT JOIN, the row-less AUTO steps). */
class PostgresReviewServiceTest extends ReviewServiceTest {

    @Override
    protected DatabaseSettings newDatabase() {
        return EmbeddedPg.newDatabase();
    }
}
