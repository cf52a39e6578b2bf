package org.ofsep.mwl.core.priors;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the PACS answered to one {@link PriorQuery}: the studies kept as the patient's MR studies, and those it
 * returned that were set aside, each with why, so that {@code gateway priors} can say "the PACS returned 2
 * studies, both set aside: another Issuer of Patient ID" instead of "0 MR studies".
 *
 * @param studies  the studies kept (this patient's MR studies, with their series)
 * @param setAside the studies the PACS returned that are not used (their series, if the source has them, unused)
 */
public record PriorAnswer(List<PriorStudy> studies, List<SetAside> setAside) {

    public PriorAnswer {
        studies = List.copyOf(studies);
        setAside = List.copyOf(setAside);
    }

    /** Why a returned study is not used. */
    public enum Reason {
        /** Another Patient ID than the one asked, or none (a PACS that matched too widely). */
        OTHER_PATIENT_ID("another Patient ID than the one asked, or none (the PACS matched too widely)"),
        /** An Issuer of Patient ID other than the order's (or priors.defaultIssuer): another hospital's patient. */
        OTHER_ISSUER("another Issuer of Patient ID than the order's: another hospital's patient"),
        /** Not an MR study (Modalities in Study without MR). */
        NOT_MR("not an MR study"),
        /**
         * The order names no issuer and the PACS holds the Patient ID under several issuers: nothing tells which
         * is the order's patient, so the studies with an issuer are not used.
         */
        SEVERAL_ISSUERS("the PACS holds this Patient ID under several issuers and the order names none"
                + " (set priors.defaultIssuer, or --issuer)");

        private final String why;

        Reason(String why) {
            this.why = why;
        }

        /** In plain words. */
        public String why() {
            return why;
        }
    }

    /** One returned study that is not used, and why. */
    public record SetAside(PriorStudy study, Reason reason) {
    }

    /** How many returned studies were set aside for this reason. */
    public int count(Reason reason) {
        return (int) setAside.stream().filter(s -> s.reason() == reason).count();
    }

    /** How many studies the PACS returned, kept or not. */
    public int returned() {
        return studies.size() + setAside.size();
    }

    /**
     * The answer of a PACS that returned these studies: each kept when it is the patient's MR study
     * ({@link PriorQuery#whySetAside}), else set aside with why.
     */
    public static PriorAnswer of(PriorQuery q, List<PriorStudy> returned) {
        List<PriorStudy> kept = new ArrayList<>();
        List<SetAside> aside = new ArrayList<>();
        for (PriorStudy s : returned) {
            Reason r = q.whySetAside(s);
            if (r == null) {
                kept.add(s);
            } else {
                aside.add(new SetAside(s, r));
            }
        }
        return new PriorAnswer(kept, aside);
    }

    /**
     * The same answer with {@link PriorQuery#unambiguous} applied: the studies of several issuers for an order
     * without one set aside ({@link Reason#SEVERAL_ISSUERS}).
     */
    public PriorAnswer unambiguous(PriorQuery q) {
        List<PriorStudy> kept = q.unambiguous(studies);
        if (kept.size() == studies.size()) {
            return this;
        }
        List<SetAside> aside = new ArrayList<>(setAside);
        studies.stream().filter(s -> !kept.contains(s)).forEach(s -> aside.add(new SetAside(s, Reason.SEVERAL_ISSUERS)));
        return new PriorAnswer(kept, aside);
    }

    /** The issuers of the studies set aside for this reason, as returned (upper case, sorted, no blank). */
    public List<String> issuers(Reason reason) {
        return setAside.stream().filter(s -> s.reason() == reason).map(s -> s.study().issuerOfPatientId())
                .filter(i -> i != null && !i.isBlank()).map(i -> i.trim().toUpperCase(Locale.ROOT)).distinct()
                .sorted().toList();
    }
}
