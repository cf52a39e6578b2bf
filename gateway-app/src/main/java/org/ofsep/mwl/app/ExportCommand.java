package org.ofsep.mwl.app;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.ArrayList;
import java.util.List;
import org.ofsep.mwl.core.domain.SpsStatus;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.core.store.WorklistQuery;
import org.ofsep.mwl.store.JdbcWorklistStore;
import org.ofsep.mwl.store.JsonExport;
import org.ofsep.mwl.dicom.file.WorklistFileWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Exports the active worklist and the patients' exam history as JSON, or (--wl) the active worklist as one
 * DICOM file per item in the layout dcmtk's wlmscpfs and Orthanc's worklist plugin read.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write the active worklist and exam history as JSON, or the worklist as .wl files (--wl).")
final class ExportCommand extends GatewayCli.Base {

    @Option(names = "--out", paramLabel = "FILE", description = "JSON file to write (default: standard output).")
    Path out;

    @Option(names = "--wl", paramLabel = "DIR",
            description = "Write one .wl DICOM file per active worklist item into DIR/<AE title>/ (wlmscpfs layout) instead of JSON.")
    Path wlDir;

    @Override
    public Integer call() throws Exception {
        GatewayConfig config = GatewayConfig.load(dirs.config());
        try (Gateway gateway = Gateway.open(config, dirs.config(), dirs.data())) {
            if (wlDir != null) {
                return writeWorklistFiles(gateway);
            }
            JsonExport export = new JsonExport(gateway.database, Clock.systemDefaultZone());
            JsonExport.Counts counts;
            if (out == null) {
                counts = export.write(System.out);
                System.out.flush();
            } else {
                DataDirectory.createPrivate(out); // made private before a byte of patient data is in it
                try (OutputStream file = Files.newOutputStream(out)) {
                    counts = export.write(file);
                }
            }
            System.err.println("exported " + counts.items() + " worklist item(s) and " + counts.exams()
                    + " exam(s)" + (out == null ? "" : " to " + out));
            return 0;
        }
    }

    /**
     * The store the export reads the whole active worklist through: without the consoles' query timeout
     * ({@code dicom.queryTimeoutSeconds}), which a large store's export exceeds (100,000 items took about 10 s on
     * the benchmark's machine, and the export failed with "it ran longer than the query timeout"). An
     * administrator's command, stopped with Ctrl-C if need be. No item cache: each step is read once.
     */
    static JdbcWorklistStore wholeWorklist(org.ofsep.mwl.store.Database database) {
        return new JdbcWorklistStore(database, false, 0).queryTimeout(java.time.Duration.ZERO);
    }

    private int writeWorklistFiles(Gateway gateway) throws Exception {
        // wlmscpfs serves DIR/<called AE title>/ (with its lockfile); Orthanc's plugin can point there too
        Path target = WorklistFileWriter.wlmscpfsDirectory(wlDir, gateway.config.dicom.aeTitle);
        List<WorklistItem> items = new ArrayList<>();
        WorklistQuery active = new WorklistQuery(null, null, null, null, null, null, null, false, null, null, null,
                null, EnumSet.of(SpsStatus.SCHEDULED, SpsStatus.STARTED), 0);
        wholeWorklist(gateway.database).query(active, items::add);
        // each file is rendered for the vendor of the station the step is scheduled on
        var mapping = gateway.mapping.current();
        java.util.Set<Path> written = new WorklistFileWriter().exportAll(items,
                ae -> mapping.station(ae).orElse(null), target);
        // the .wl files hold patient data: 0640 (group-readable for wlmscpfs), their directory 0750
        List<Path> exported = new ArrayList<>(written);
        exported.add(target.resolve("lockfile"));
        DataDirectory.restrictWritten(target, exported);
        System.err.println("wrote " + written.size() + " worklist file(s) to " + target);
        return 0;
    }
}
