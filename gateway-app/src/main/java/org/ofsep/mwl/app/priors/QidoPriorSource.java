package org.ofsep.mwl.app.priors;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.ofsep.mwl.core.priors.PriorAnswer;
import org.ofsep.mwl.core.priors.PriorQuery;
import org.ofsep.mwl.core.priors.PriorSeries;
import org.ofsep.mwl.core.priors.PriorSource;
import org.ofsep.mwl.core.priors.PriorSourceException;
import org.ofsep.mwl.core.priors.PriorStudy;

/**
 * Previous studies from a PACS over DICOMweb: QIDO-RS (PS3.18 10.6) {@code GET {url}/studies} with Patient ID,
 * Modalities in Study MR and the Study Date range, then {@code GET {url}/studies/{uid}/series?Modality=MR} for
 * each study, answers in the DICOM JSON model (PS3.18 F.2). A bearer token is sent when configured.
 */
public final class QidoPriorSource implements PriorSource {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;
    private static final String STUDY_FIELDS = "00081030,00100021,00081032,00080050,00080061,00100020";
    private static final String SERIES_FIELDS = "0008103E,00181030,00180023,00180015,00080021,00080070,00200011,00180087";

    private final String base;
    private final String token;
    private final Duration timeout;
    private final HttpClient http;

    public QidoPriorSource(String url, String token, Duration timeout) {
        String u = url.trim();
        this.base = u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
        this.token = token == null || token.isBlank() ? null : token.trim();
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public String describe() {
        return "DICOMweb " + base;
    }

    @Override
    public List<PriorStudy> find(PriorQuery q) throws PriorSourceException {
        return answer(q).studies();
    }

    @Override
    public PriorAnswer answer(PriorQuery q) throws PriorSourceException {
        // the whole lookup (the studies and the series of each) within the timeout, not each request
        long deadline = System.nanoTime() + timeout.toNanos();
        StringBuilder query = new StringBuilder("/studies?PatientID=").append(enc(q.patientId()))
                .append("&ModalitiesInStudy=MR&limit=").append(DimsePriorSource.MAX_STUDIES)
                .append("&includefield=").append(STUDY_FIELDS);
        if (q.from() != null || q.to() != null) {
            query.append("&StudyDate=").append(q.from() == null ? "" : q.from().format(DA)).append('-')
                    .append(q.to() == null ? "" : q.to().format(DA));
        }
        List<PriorStudy> returned = new ArrayList<>();
        for (JsonNode s : get(query.toString(), deadline)) {
            PriorStudy study = study(s);
            if (study.studyInstanceUid() != null) {
                returned.add(study);
            }
        }
        // another patient's or not MR: set aside, never a prior; its series are not asked for
        PriorAnswer kept = PriorAnswer.of(q, returned);
        List<PriorStudy> out = new ArrayList<>();
        for (PriorStudy study : kept.studies()) {
            List<PriorSeries> series = new ArrayList<>();
            for (JsonNode se : get("/studies/" + enc(study.studyInstanceUid()) + "/series?Modality=MR&includefield="
                    + SERIES_FIELDS, deadline)) {
                series.add(series(se));
            }
            out.add(study.withSeries(series));
        }
        return new PriorAnswer(out, kept.setAside());
    }

    private List<JsonNode> get(String pathAndQuery, long deadline) throws PriorSourceException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new PriorSourceException(incomplete());
        }
        HttpRequest.Builder rq = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofNanos(left))
                .header("Accept", "application/dicom+json").GET();
        if (token != null) {
            rq.header("Authorization", "Bearer " + token);
        }
        HttpResponse<byte[]> rsp;
        java.util.concurrent.CompletableFuture<HttpResponse<byte[]>> pending =
                http.sendAsync(rq.build(), HttpResponse.BodyHandlers.ofByteArray());
        try {
            // the body too, not only the headers, within what is left
            rsp = pending.get(Math.max(1, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            pending.cancel(true);
            throw new PriorSourceException(incomplete(), e);
        } catch (java.util.concurrent.ExecutionException x) {
            Throwable e = x.getCause();
            if (e instanceof HttpConnectTimeoutException) {
                throw new PriorSourceException("no connection within " + timeout.toSeconds() + " s", e);
            }
            if (e instanceof HttpTimeoutException) {
                throw new PriorSourceException(incomplete(), e);
            }
            if (e instanceof ConnectException) {
                throw new PriorSourceException("connection refused by " + URI.create(base).getAuthority(), e);
            }
            throw new PriorSourceException("QIDO-RS failed: " + e, e);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new PriorSourceException("interrupted", e);
        }
        int code = rsp.statusCode();
        if (code == 204 || (code == 200 && rsp.body().length == 0)) {
            return List.of(); // no match
        }
        if (code == 401 || code == 403) {
            throw new PriorSourceException("the PACS refused the request (HTTP " + code + "): check priors.dicomweb.token");
        }
        if (code != 200) {
            throw new PriorSourceException("QIDO-RS answered HTTP " + code);
        }
        try {
            JsonNode root = JSON.readTree(rsp.body());
            if (!root.isArray()) {
                throw new PriorSourceException("QIDO-RS answer is not a DICOM JSON array");
            }
            List<JsonNode> list = new ArrayList<>();
            root.forEach(list::add);
            return list;
        } catch (JsonProcessingException e) {
            // Jackson's message quotes the token it could not read: whatever the PACS sent (a patient's name in an
            // error page...) would reach the WARN log, /health and the step's reasons. Say where, not what.
            JsonLocation at = e.getLocation();
            throw new PriorSourceException("QIDO-RS answer is not JSON" + (at == null ? ""
                    : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (IOException e) {
            throw new PriorSourceException("QIDO-RS answer could not be read: " + e.getClass().getSimpleName(), e);
        }
    }

    private String incomplete() {
        return "no complete answer within " + timeout.toSeconds() + " s";
    }

    static PriorStudy study(JsonNode s) {
        List<String> codes = new ArrayList<>();
        JsonNode seq = s.path("00081032").path("Value");
        for (JsonNode item : seq) {
            String v = first(item, "00080100");
            if (v != null) {
                codes.add(v);
            }
        }
        return new PriorStudy(first(s, "0020000D"), DimsePriorSource.date(first(s, "00080020")), first(s, "00081030"),
                first(s, "00100020"), first(s, "00100021"), all(s, "00080061"), codes, first(s, "00080050"), List.of());
    }

    static PriorSeries series(JsonNode s) {
        return new PriorSeries(first(s, "0020000E"), first(s, "00080060"), first(s, "0008103E"), first(s, "00181030"),
                first(s, "00180023"), first(s, "00180015"), DimsePriorSource.date(first(s, "00080021")),
                first(s, "00080070"), DimsePriorSource.tesla(first(s, "00180087")));
    }

    /** The first value of an attribute in the DICOM JSON model (strings; PN as its alphabetic group). */
    static String first(JsonNode dataset, String tag) {
        List<String> all = all(dataset, tag);
        return all.isEmpty() ? null : all.get(0);
    }

    static List<String> all(JsonNode dataset, String tag) {
        List<String> out = new ArrayList<>();
        for (JsonNode v : dataset.path(tag).path("Value")) {
            String s = v.isObject() ? v.path("Alphabetic").asText(null) : v.isNull() ? null : v.asText();
            if (s != null && !s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
