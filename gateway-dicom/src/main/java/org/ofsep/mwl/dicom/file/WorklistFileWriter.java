package org.ofsep.mwl.dicom.file;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.ofsep.mwl.core.domain.Station;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.core.service.UidGenerator;
import org.ofsep.mwl.dicom.data.Attributes;
import org.ofsep.mwl.dicom.data.DicomFile;
import org.ofsep.mwl.dicom.data.TransferSyntax;
import org.ofsep.mwl.dicom.data.UID;
import org.ofsep.mwl.dicom.mwl.WorklistResponseBuilder;

/**
 * Writes worklist items as DICOM Part 10 files in the `.wl` layout that dcmtk's wlmscpfs and Orthanc's worklist
 * plugin read: one file per scheduled step, Explicit VR Little Endian, File Meta Information with the Modality
 * Worklist FIND SOP class as Media Storage SOP Class, the dataset being the item's complete worklist attributes
 * for the vendor of its scheduled station. wlmscpfs looks in one sub-directory per called AE title: use
 * {@link #write(WorklistItem, Station, Path)} with {@code dir/CALLED_AE}.
 */
public final class WorklistFileWriter {

    private final WorklistResponseBuilder builder;

    public WorklistFileWriter(WorklistResponseBuilder builder) {
        this.builder = builder;
    }

    public WorklistFileWriter() {
        this(new WorklistResponseBuilder());
    }

    /** The Part 10 file of one item (dataset rendered for {@code station}'s vendor; null station = default codes). */
    public DicomFile toFile(WorklistItem item, Station station) {
        Attributes dataset = builder.render(item, station);
        Attributes meta = DicomFile.createFileMeta(UID.MODALITY_WORKLIST_FIND, instanceUid(item),
                TransferSyntax.EXPLICIT_VR_LE);
        return new DicomFile(meta, dataset);
    }

    /**
     * Writes {@code dir/<name>.wl} (name from the SPS ID, made safe for a file name) and returns its path. The
     * file is written under a temporary name and renamed, so a wlmscpfs reading the directory never sees half
     * a file.
     */
    public Path write(WorklistItem item, Station station, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path path = dir.resolve(fileName(item));
        toFile(item, station).write(path);
        return path;
    }

    /**
     * Exports a whole worklist into {@code dir} (e.g. {@link #wlmscpfsDirectory}): one file per item, rendered for
     * the vendor of its scheduled station ({@code stationByAeTitle} may return null: default codes), and removes the
     * {@code .wl} files of items no longer in the worklist (cancelled, done), so the directory mirrors it.
     *
     * @return the files written (the .wl files now in {@code dir})
     */
    public java.util.Set<Path> exportAll(Iterable<WorklistItem> items,
                                         java.util.function.Function<String, Station> stationByAeTitle,
                                         Path dir) throws IOException {
        Files.createDirectories(dir);
        java.util.Set<Path> written = new java.util.HashSet<>();
        for (WorklistItem item : items) {
            written.add(write(item, stationByAeTitle.apply(item.stationAeTitle()), dir));
        }
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".wl")).toList()) {
                if (!written.contains(f)) {
                    Files.delete(f);
                }
            }
        }
        return written;
    }

    /**
     * The directory wlmscpfs serves for {@code calledAeTitle} under its data files path ({@code -dfp root}):
     * {@code root/CALLED_AE}, created with the empty {@code lockfile} wlmscpfs requires there.
     */
    public static Path wlmscpfsDirectory(Path root, String calledAeTitle) throws IOException {
        Path dir = Files.createDirectories(root.resolve(calledAeTitle));
        Path lock = dir.resolve("lockfile");
        if (!Files.exists(lock)) {
            Files.createFile(lock);
        }
        return dir;
    }

    /** "<SPS ID>.wl" with anything but letters, digits, '-', '_' and '.' replaced by '_'. */
    public static String fileName(WorklistItem item) {
        String base = item.spsId() != null && !item.spsId().isBlank() ? item.spsId() : "item-" + item.id();
        return base.replaceAll("[^A-Za-z0-9._-]", "_") + ".wl";
    }

    /** A stable instance UID per step (2.25 form of a name-based UUID), so re-exporting gives the same file. */
    static String instanceUid(WorklistItem item) {
        return UidGenerator.fromUuid(UUID.nameUUIDFromBytes(("mwl-gateway-sps:" + item.spsId() + ":" + item.id())
                .getBytes(StandardCharsets.UTF_8)));
    }
}
