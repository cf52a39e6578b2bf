package org.ofsep.mwl.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.store.Database;
import org.ofsep.mwl.store.DatabaseSettings;

class ExportCommandTest {

    @TempDir
    Path tmp;

    @Test
    void theWorklistFilesExportIsNotBoundByTheConsolesQueryTimeout() {
        // a large store's export reads for longer than a console may (dicom.queryTimeoutSeconds): at 100,000 items
        // the export failed with "it ran longer than the query timeout (10 s)". What a timeout of 0 does is in
        // WorklistStoreContract.aQueryWithoutTimeoutRunsAsLongAsItsReaderTakes
        try (Database db = Database.open(DatabaseSettings.h2(tmp))) {
            assertThat(ExportCommand.wholeWorklist(db).queryTimeoutSeconds()).isZero();
        }
    }
}
