package org.ofsep.mwl.core.facts;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ofsep.mwl.core.domain.Fact;
import org.ofsep.mwl.core.domain.PartialDate;

/**
 * Reads the clinical facts of one free-text field (OBR-13, OBR-31, an NTE, a text OBX), French or English, case
 * and accents ignored. Every fact keeps the words it came from. Nothing is guessed: a value without a known unit,
 * a date in the future for a previous MRI, a treatment stated as stopped are not taken.
 */
public final class FreeTextReader {

    /** What one text gave; every field may be null. */
    public static final class TextFacts {
        Evidence<TreatmentDictionary.Treatment> treatment;
        Evidence<PartialDate> treatmentStart;
        Evidence<PartialDate> plannedStart;
        /** {@link #plannedStart} is that of another treatment than the current one (its baseline). */
        boolean plannedNewTreatment;
        Evidence<PartialDate> priorBrainMri;
        Evidence<Boolean> priorBrainMriMentioned;
        Evidence<Boolean> priorMri3dFlair;
        Evidence<PartialDate> lastSpineMri;
        Evidence<Boolean> jcvPositive;
        Evidence<BigDecimal> jcvIndex;
        /** The date of the JCV result read, when the text dates it: a newer dated result stated later wins. */
        java.time.LocalDate jcvDate;
        Evidence<BigDecimal> egfr;
        /** The written eGFR is an upper bound ("DFG < 60"). */
        boolean egfrAtMost;
        Evidence<BigDecimal> creatinineMgDl;
        Evidence<Boolean> pregnant;
        /** An allergy (or a previous reaction) to gadolinium or a Gd-based contrast agent, stated not denied. */
        Evidence<Boolean> gdAllergy;
        final List<String> notes = new ArrayList<>();
    }

    /** How a creatinine unit written in the text converts to mg/dL; null when the unit is unknown. */
    public interface CreatinineUnits {
        BigDecimal toMgDl(BigDecimal value, String unit);
    }

    private static final int MRI = 1;
    private static final int TREATMENT = 2;
    private static final int JCV = 3;
    private static final int EGFR = 4;
    private static final int CREAT = 5;

    private static final Pattern MRI_WORD = Pattern.compile("(?<![\\p{L}])(?:irm|mri|rmn)(?![\\p{L}])");
    private static final Pattern JCV_WORD = Pattern.compile(
            "(?<![\\p{L}])(?:anti[- ]?)?(?:jcv|jc[- ]?virus|virus jc|serologie jc|jc(?= ?(?:\\+|-|positi|negati|pos\\b|neg\\b|index|indice)))(?![\\p{L}])");
    private static final Pattern EGFR_WORD = Pattern.compile("(?<![\\p{L}])(?:e?dfg ?e?|e-?gfr|gfr|debit de filtration"
            + " glomerulaire(?: estime)?|clairance(?: de la creatinine| de la creat| creatinine| creat| renale)?"
            + "|cl\\.? ?creat(?:inine)?|clearance(?: de la"
            + " creatinine| creatinine)?|creatinine clearance|ckd[- ]?epi|mdrd|cockcroft(?:[- ]gault)?)(?![\\p{L}])");
    private static final Pattern CREAT_WORD = Pattern.compile("(?<![\\p{L}])(?:serum creatinine|creatinine(?: serique|"
            + " plasmatique| sanguine)?|creatininemie|creatinemie|creat|scr)(?![\\p{L}])");

    private static final Pattern ANCHORS = Pattern.compile("(" + EGFR_WORD.pattern() + ")|(" + MRI_WORD.pattern() + ")|("
            + JCV_WORD.pattern() + ")|(" + CREAT_WORD.pattern() + ")");

    private static final Pattern SPINE = Pattern.compile("(?<![\\p{L}])(medullaire|medullaires|moelle|rachis|rachidienne"
            + "|panrachis|spine|spinal|cord|cervicale?|cervical|dorsale?|cervico[- ]?dorsale?|thoracique|medullary)(?![\\p{L}])");
    /**
     * A lumbar or sacral spine MRI images no spinal cord (it ends at L1-L2): "IRM rachis lombaire 2024" is neither
     * the spinal cord MRI OFSEP 2020 advises every three years nor a brain MRI, unless the same mention also names a
     * cord region ("IRM rachis cervical et lombaire").
     */
    private static final Pattern LUMBAR = Pattern.compile("(?<![\\p{L}])(lombaire|lombaires|lombo[- ]?sacree?|lumbar"
            + "|lumbosacral|lumbo[- ]sacral|sacree?|sacrum|sacral)(?![\\p{L}])");
    private static final Pattern CORD = Pattern.compile("(?<![\\p{L}])(medullaire|medullaires|moelle|panrachis|cord"
            + "|cervicale?|cervical|dorsale?|cervico[- ]?dorsale?|thoracique|thoracic|medullary|entier|entiere|whole"
            + "|entire)(?![\\p{L}])");
    private static final Pattern BRAIN = Pattern.compile("(?<![\\p{L}])(cerebrale?|cerebral|encephalique|encephale"
            + "|brain|crane|cranienne|cerveau|head)(?![\\p{L}])");
    private static final Pattern PRIOR_WORDS = Pattern.compile("(?<![\\p{L}])(derniere|dernier|precedente|precedent"
            + "|anterieure|anterieur|ancienne|previous|prior|last|comparaison|comparison|de reference|baseline)(?![\\p{L}])");
    /** "pas d'IRM antérieure", "no previous MRI", "previous MRIs not available": no comparable prior. */
    private static final Pattern NO_MRI_BEFORE = Pattern.compile("(?<![\\p{L}])(pas d'|pas de|aucune?|no|sans|without"
            + "|absence d'|absence de|jamais eu d'|never had an?)\\s*(?:(?:d')?examens?\\s+)?$"); // "pas d'examen IRM"
    /** Another MRI named further on in the text ("..., outside MRI 3 months ago"). */
    private static final Pattern ANOTHER_MRI = Pattern.compile("(?<![\\p{L}])(?:irm|mri|imagerie)(?![\\p{L}])");
    /** "No previous MRI", "no prior MRI": none, unless a date follows in the same sentence ("(done 2024 in Lyon)"). */
    private static final Pattern NO_PREVIOUS_MRI_BEFORE = Pattern.compile("(?<![\\p{L}])(?:no|without|never had an?)\\s+"
            + "(?:previous|prior|earlier|former)\\s+(?:brain\\s+|cerebral\\s+)?$");
    private static final Pattern UNAVAILABLE_AFTER = Pattern.compile("^[^.;]{0,60}?(?<![\\p{L}])(non disponibles?|pas disponibles?"
            + "|indisponibles?|not available|unavailable|non accessibles?|not accessible|non recuperables?|introuvables?"
            + "|cannot be retrieved|non transmises?)(?![\\p{L}])");
    private static final Pattern STOPPED_BEFORE = Pattern.compile("(?<![\\p{L}])(arret|arrete|arretee|stop|stopped|interruption"
            + "|ancien|ancienne|anciennement|ex|apres|previously|formerly|former|prior|off|relais d[eu']?|switch(?:ed)? from"
            + "|sortie d[eu']?|sevrage)(?![\\p{L}])[^.;]{0,12}$");
    private static final Pattern STOPPED_AFTER = Pattern.compile("^[^.;]{0,40}?(?<![\\p{L}])(arrete|arretee|stoppe|stopped"
            + "|discontinued|interrompu|interrompue|jusqu'|until|halted|withdrawn|suspendu)(?![\\p{L}])");
    private static final Pattern SWITCH = Pattern.compile("(?<![\\p{L}])(switch|relais|passage|remplace|changement|change"
            + "|switched|bascule)(?![\\p{L}])|->|=>|-->|>");
    private static final Pattern PLANNED = Pattern.compile("(?<![\\p{L}])(prevu|prevue|programme|programmee|planned|planifie"
            + "|a debuter|a venir|to start|will start|starting|scheduled|introduction prevue|debut prevu|initiation prevue"
            + "|en attente|before starting|avant (?:introduction|debut|mise))(?![\\p{L}])");

    /** Words right before a date that make it the treatment's start ("introduit 09/2021", "since 2021"). */
    /** The start words every reading of a treatment's start knows: "introduit", "débuté", "started", "1ère cure". */
    private static final String START_VERBS = "depuis|since|introduit|introduite|debute|debutee|demarre|initie|initiee"
            + "|instaure|instauree|started|initiated|1ere perfusion|premiere perfusion|first infusion|1ere cure"
            + "|premiere cure|1er cycle|premier cycle|first course|first cycle";
    private static final Pattern START_WORDS = Pattern.compile("(?<![\\p{L}])(" + START_VERBS + "|introduction|debut"
            + "|mis en place|mise en place|mise sous|start|starting|from|begun|a partir du|a partir de|1st course"
            + "|1st infusion|prevu|prevue|planned)(?![\\p{L}])[^0-9]{0,20}$");
    /**
     * A start word right before a date written relative to now, itself right after the treatment's name (only
     * punctuation or an auxiliary between): "Ocrevus débuté il y a 5 mois", "Ocrevus, commencé il y a 5 mois",
     * "Ocrevus a été introduit il y a", "Kesimpta, first injection 10 days ago", "ocrelizumab, started 5 months ago",
     * "Ocrevus infusions began 5 months ago".
     */
    private static final Pattern RELATIVE_START = Pattern.compile("^[\\s,(:-]*(?:(?:infusions?|perfusions?|injections?"
            + "|treatment|traitement|therapy|therapie)\\s+)?(?:(?:a ete|a|est|was|were|has been|had been)\\s+)?"
            + "(?:" + START_VERBS + "|introduced|commence|commencee|mis en place|mise en place|mis en route"
            + "|mise en route|begun|began|commenced|1ere injection|premiere injection|first injection|1st injection"
            + "|1ere dose|premiere dose|first dose)(?![\\p{L}])\\s*$");
    /** Words right before a date that make it a dose, not the start ("dernière perfusion 01/2026", "last infusion"). */
    private static final Pattern DOSE_WORDS = Pattern.compile("(?<![\\p{L}])(derniere perfusion|derniere injection|derniere cure"
            + "|last infusion|last dose|last course|last injection|perfusion|cure|cycle|course|injection|dose)(?![\\p{L}])"
            + "[^0-9]{0,20}$");
    private static final Pattern JCV_POS = Pattern.compile("^\\s*\\+|(?<![\\p{L}])(positi\\w*|pos)(?![\\p{L}])");
    private static final Pattern JCV_NEG = Pattern.compile("^\\s*-(?!\\s*\\d)|(?<![\\p{L}])(negati\\w*|neg)(?![\\p{L}])");
    private static final Pattern INDEX = Pattern.compile("(?<![\\p{L}])(?:index|indice|idx|titre|ratio|i)\\s*[:=]?\\s*"
            + "(?:de |a |of |at |= )?\\s*(\\d{1,2}(?:[.,]\\d{1,3})?)(?![\\d])");
    private static final Pattern DECIMAL = Pattern.compile("(?<![\\d/.,])(\\d{1,2}[.,]\\d{1,3})(?![\\d]|[/.,-]\\d)");
    /** The formula an eGFR names, in brackets or not: "(CKD-EPI)", "MDRD", "Cockcroft-Gault". */
    private static final String EGFR_FORMULA = "\\(?(?:ckd[- ]?epi|mdrd|cockcroft(?:[- ]gault)?)(?: 2021)?\\)?";
    /** The formula before or after the words ("DFG (CKD-EPI) estimé à 42", "DFG estimé (CKD-EPI) 22"). */
    private static final Pattern EGFR_VALUE = Pattern.compile("^\\s*(?:" + EGFR_FORMULA + ")?\\s*"
            + "(?:(?:[:=]|estime|calcule|est|a|de|of|is|~|environ|about|at|was|measured)\\s*){0,3}"
            + "(?:" + EGFR_FORMULA + "\\s*(?:[:=]\\s*)?)?"
            + "(<=|>=|<|>|~)?\\s*(\\d{1,3}(?:[.,]\\d{1,2})?)(?![\\d/])"
            + "\\s*([a-z/.0-9{}_ ]*)");
    private static final Pattern CREAT_VALUE = Pattern.compile("^\\s*(?:[:=]|a|de|of|is|est|=)?\\s*(?:[:=]\\s*)?"
            + "(\\d{1,4}(?:[.,]\\d{1,2})?)(?![\\d/])\\s*((?:u|m|mc)?(?:mol|g)\\s*/\\s*(?:d?l|dl))?");

    private static final List<String> FLAIR_NO = List.of(
            "sans (?:sequence )?(?:de )?(?:3d[- ]?flair|flair 3d)", "without (?:a )?(?:3d[- ]?flair|flair 3d)",
            "(?:pas|absence) de (?:sequence )?(?:3d[- ]?flair|flair 3d)", "no 3d[- ]?flair",
            "2d[- ]?flair(?: (?:seul\\w*|only|uniquement))?", "flair (?:en )?2d(?: (?:seul\\w*|only|uniquement))?",
            "hors protocole(?: ofsep)?", "non[- ]standardise\\w*", "not standardi[sz]ed", "non[- ]ofsep",
            "(?:3d[- ]?flair|flair 3d) (?:non|not) (?:realise\\w*|fait\\w*|disponible|available|done|acquired|performed)");
    private static final List<String> FLAIR_YES = List.of(
            "3d[- ]?flair", "flair[- ]?3d", "protocole ofsep", "ofsep protocol", "protocole standardise\\w*",
            "standardi[sz]ed (?:ofsep )?protocol");
    /** After a "no": not an answer that the status is not known ("non renseignée", "non connu", "not known"). */
    private static final String NOT_UNKNOWN = "(?![\\p{L}]|\\s+(?:renseign|connu|precis|rempli|disponible|communiqu|fait"
            + "|recu|known|available|done))";
    private static final List<String> PREGNANT_NO = List.of(
            "(?:pas|plus|absence) (?:de |d')?grossesse(?: en cours)?", "grossesse (?:exclue|non(?=\\s*(?:[,.;:)/]|$)))",
            "grossesse\\s*[:=?]\\s*(?:non|no|negati\\w*|neg|0)" + NOT_UNKNOWN, "(?:non|pas|n'est pas|not|isn't) enceinte",
            "enceinte\\s*[:=?]?\\s*(?:non|no)" + NOT_UNKNOWN, "pregnan\\w*\\s*\\?\\s*(?:no|non)" + NOT_UNKNOWN,
            "not (?:currently )?pregnant", "no (?:current )?pregnancy", "non-?pregnant",
            "pregnan\\w*\\s*[:=]\\s*(?:no|n|none|negative|neg)", "pregnancy (?:is )?(?:excluded|ruled out)",
            "denies (?:any )?pregnancy",
            "(?:test de grossesse|pregnancy test|b-?hcg|beta-?hcg|b hcg|hcg|bhcg)\\s*[:=]?\\s*(?:negati\\w*|neg|-)(?!\\d)",
            // a test named with a word between ("test de grossesse urinaire négatif")
            "(?:test de grossesse|pregnancy test|b-?hcg|beta-?hcg|b hcg|hcg|bhcg|\u03b2-?hcg)(?: (?:plasmatique|serique"
                    + "|sanguin|urinaire|serum|urine|urinary|blood|quantitatif|quantitative|qualitatif|qualitative)){1,2}"
                    + "\\s*[:=]?\\s*(?:negati\\w*|neg)(?![\\p{L}\\d])");
    private static final List<String> PREGNANT_YES = List.of(
            "grossesse en cours", "grossesse (?:de|a) \\d+", "grossesse \\d+ ?(?:sa|semaines)", "grossesse evolutive",
            "grossesse\\s*[:=]\\s*(?:oui|yes|positi\\w*|\\+)", "(?:femme )?enceinte", "pregnant",
            "pregnan\\w*\\s*[:=]\\s*(?:yes|y|positive|pos)", "(?:enceinte|pregnan\\w*|grossesse)\\s*\\?\\s*(?:oui|yes)",
            "en cours de grossesse", "\\d+ ?(?:sa|semaines d'amenorrhee|weeks'? gestation|weeks pregnant)",
            "(?:test de grossesse|pregnancy test|b-?hcg|beta-?hcg|b hcg|hcg|bhcg)\\s*[:=]?\\s*(?:positi\\w*|pos|\\+)",
            // unwanted or not progressing is a pregnancy all the same
            "grossesse non (?:desiree|prevue|planifiee|evolutive)",
            // a test named with a word between ("beta-HCG plasmatique positif"), or said positive before its name
            "(?:test de grossesse|pregnancy test|b-?hcg|beta-?hcg|b hcg|hcg|bhcg|\u03b2-?hcg)(?: (?:plasmatique|serique"
                    + "|sanguin|urinaire|serum|urine|urinary|blood|quantitatif|quantitative|qualitatif|qualitative)){1,2}"
                    + "\\s*[:=]?\\s*(?:positi\\w*|pos|\\+)",
            // a quantity at or above 5 IU/L (= 5 mIU/mL), never one written "< 5"; thousands may be spaced ("1 250")
            "(?:b-?hcg|beta-?hcg|b hcg|hcg|bhcg|\u03b2-?hcg)[^.;,\\d<>]{0,25}(?<![<\\d.,])(?:[1-9]\\d{0,2}(?:[ \u00a0\u202f]\\d{3})+"
                    + "|[5-9]|[1-9]\\d{1,6})(?:[.,]\\d+)?"
                    + "\\s*(?:m?ui|m?iu|m\\[iu\\]|\\[iu\\])\\s*/\\s*m?l(?![\\p{L}])",
            "positive (?:serum |urine |urinary |blood |home )?(?:pregnancy test|b-?hcg|beta-?hcg|hcg|bhcg)");
    /**
     * A pregnancy that cannot be ruled out counts as one for the decision (Gd waits for a person), but it is no
     * stated pregnancy: the console's Pregnancy Status says "possibly pregnant" (0002), not "definitely" (0003).
     * "grossesse non exclue" was once read as "grossesse non", a denial.
     */
    private static final List<String> PREGNANT_POSSIBLE = List.of(
            "(?:suspicion de|possible|suspected) (?:early )?(?:grossesse|pregnancy)",
            "enceinte\\s*\\?(?!\\s*(?:oui|yes|non|no)(?![\\p{L}]))", "retard de(?:s)? regles",
            "(?:peut-etre|peut etre|possiblement|probablement|eventuellement) enceinte",
            "(?:possibly|probably|maybe|may be|might be|could be) pregnant",
            "grossesse (?:non (?:exclue|ecartee)|possible|probable|suspectee)",
            "grossesse\\s*[:=]?\\s*\\?(?!\\s*(?:oui|yes|non|no)(?![\\p{L}]))",
            "pregnan\\w* (?:is )?(?:not (?:excluded|ruled out)|cannot be (?:excluded|ruled out)|possible|suspected)",
            "pregnan\\w*\\s*[:=]?\\s*\\?(?!\\s*(?:oui|yes|non|no)(?![\\p{L}]))");
    /** A status not known or a test not back yet: not ruled out either, and Pregnancy Status "unknown" (0004). */
    private static final List<String> PREGNANT_UNKNOWN = List.of(
            "(?:statut de )?grossesse\\s*[:=]?\\s*(?:inconnue?|ne sait pas|nsp|non connue?|indeterminee?|non renseignee?)",
            "enceinte\\s*[:=?]?\\s*(?:inconnue?|ne sait pas|nsp|non connue?|non renseignee?)",
            "pregnancy(?: status)?(?: is)?\\s*[:=]?\\s*(?:unknown|not known|undetermined|uncertain)",
            "(?:test de grossesse|b-?hcg|beta-?hcg|hcg|bhcg|\u03b2-?hcg)(?: \\w+)?\\s*[:=]?\\s*(?:en attente|en cours|a faire"
                    + "|non fait|non realise|(?:resultat )?non recu|(?:resultat )?pas (?:encore )?recu)",
            "test non fait",
            "(?:pregnancy test|b-?hcg|beta-?hcg|hcg|bhcg|\u03b2-?hcg)(?: \\w+)?\\s*[:=]?\\s*(?:pending|awaited|not (?:yet )?done"
                    + "|to be done)");

    /**
     * Gadolinium and the Gd-based contrast agents by INN, usual abbreviation or brand (folded text). "gd" alone is
     * taken only next to an allergy word (the patterns below).
     */
    static final String GD = "(?:gadolin\\w*|gado(?:terate|teric|terique|butrol|teridol|benate|benique|piclenol|xetate"
            + "|xetique|xetic|diamide|pentetate|pentetique|versetamide|fosveset|fovesetate)\\w*|gd[- ]?(?:dota|dtpa|bopta"
            + "|eob[- ]?dtpa|hp[- ]?do3a|bt[- ]?do3a)|dotarem|clariscan|artirem|cyclolux|dotagita|gadovist|gadavist"
            + "|prohance|multihance|elucirem|vueway|primovist|eovist|omniscan|magnevist|optimark|ablavar|vasovist|gbca|gado|gd"
            // the contrast agent of an MRI is a Gd-based one: "réaction au produit de contraste lors d'une IRM",
            // "allergie PDC IRM", "hives after MRI contrast"
            + "|(?:produits? de contraste|pdc)(?: (?:lors d'une|lors de l'|lors d'un|d'une|de l'|a l'|pour (?:une |l'|un )?"
            + "|en|pour l'|au cours d'une|durant une|pendant une))? ?(?:irm|rmn)(?![\\p{L}])"
            + "|(?:irm|mri|mr) (?:contrast|produit de contraste|pdc)\\w*(?: (?:agent|medium|media|dye))?"
            + "|contrast (?:agent |medium |media |dye )?(?:for|at|during|with) (?:an? |the |her |his )?(?:mri|mr)(?![\\p{L}]))";
    /** A Gd agent named as a whole word, and the generic names of the class (an AL1 allergen's text or code). */
    private static final Pattern GD_AGENT = Pattern.compile("(?<![\\p{L}\\d])" + GD + "(?![\\p{L}\\d])");
    private static final Pattern GD_BASED = Pattern.compile("produits? de contraste gadolin|gadolinium[- ]based"
            + "|gd[- ]based");
    /** An AL1 allergen that says there is no known allergy. */
    private static final Pattern NO_ALLERGEN = Pattern.compile("(?:nka|nkda|nkma|none|aucune?|neant"
            + "|no known (?:drug |medication )?allerg\\w*|(?:pas d'|aucune )allergie(?: connue)?|no allerg\\w*)");
    /** Words that state an allergy or a reaction (folded). */
    private static final String ALLERGY = "(?:allerg\\w*|hypersensibilite|hypersensitivity|intolerance"
            + "|anaphyla\\w*|urticaire|urticaria|hives|eruption cutanee|eruption|rash|skin rash|prurit|pruritus"
            + "|oedeme de quincke|angio-?oedeme|angioedema|reactions?(?: (?:allergiques?|anaphylacti\\w*|d'hypersensibilite"
            + "|indesirables?|adverses?))?|adverse (?:drug )?reactions?|allergic reactions?)";
    /** Words between an allergy word and the agent that start another statement ("allergie iode, IRM avec gado"). */
    private static final String GAP = "(?:(?!(?<![\\p{L}])(?:si|if|mais|but|pour|for|puis|then|except\\w*|sauf|avec)"
            + "(?![\\p{L}])|\\s[-/]\\s)[^.;,!?])";
    private static final List<String> GD_ALLERGY_NO = List.of(
            "(?:pas|plus|absence|jamais) (?:de |d')?(?:connue? )?" + ALLERGY + "(?: connue?s?)?",
            "(?:aucune?|sans|no|without|none|never|denies|nie) (?:known |any |connue? |previous |prior )*(?:drug )?"
                    + ALLERGY + "(?: connue?s?)?",
            "nkda", "nka", "nkma", "no known (?:drug |medication )?allergies",
            ALLERGY + GAP + "{0,50}?[:=]\\s*(?:non|no|none|aucune?|neg\\w*|0|absente?)(?![\\p{L}\\d])",
            "(?:(?:bonne |bien )tolerance|bien tolere\\w*|well tolerated|tolerated well|sans (?:incident|probleme|reaction))");
    private static final List<String> GD_ALLERGY_YES = List.of(
            ALLERGY + GAP + "{0,50}?(?<![\\p{L}])" + GD,
            ALLERGY + "\\s*:" + "(?:(?!(?<![\\p{L}])(?:si|if|mais|but|pour|for)(?![\\p{L}]))[^.;])" + "{0,80}?(?<![\\p{L}])" + GD,
            GD + "(?: (?:contrast\\w*|agents?|produits? de contraste|injection))?\\s*[:-]?\\s*" + ALLERGY,
            // a list of allergens: "allergique à la pénicilline, au Dotarem", "allergic to penicillin, and to gadolinium"
            ALLERGY + "(?:" + GAP + "{0,50}?,\\s*(?:et |and |ainsi qu'|as well as )?(?:au|aux|a la|a l'|a|to)\\s*)+"
                    + "(?:(?:la |l'|le |les )?(?:produits? de contraste |contrast )?)(?<![\\p{L}])" + GD);

    private final TreatmentDictionary dictionary;
    private final CreatinineUnits creatinineUnits;
    private final Pattern flairNo;
    private final Pattern flairYes;
    private final Pattern pregnantNo;
    /** Any pregnancy: stated, possible, or of unknown status (each counts for the decision). */
    private final Pattern pregnantYes;
    /** Which one: a stated pregnancy outside the hedged phrases, then a possible one outside the unknown ones. */
    private final Pattern pregnantStated;
    private final Pattern pregnantHedged;
    private final Pattern pregnantPossible;
    private final Pattern pregnantNoOrUnknown;
    /** Without phrases added by the mapping, a clause that has none of these words says nothing about pregnancy. */
    private final boolean gatePregnancy;
    private final Pattern gdAllergyNo;
    private final Pattern gdAllergyYes;

    /**
     * @param extraFlairYes ... extraPregnantNo  phrases the mapping adds to the built-in ones (may be null)
     */
    public FreeTextReader(TreatmentDictionary dictionary, CreatinineUnits creatinineUnits, List<String> extraFlairYes,
                          List<String> extraFlairNo, List<String> extraPregnantYes, List<String> extraPregnantNo) {
        this(dictionary, creatinineUnits, extraFlairYes, extraFlairNo, extraPregnantYes, extraPregnantNo, null, null);
    }

    /**
     * @param extraGdAllergyYes, extraGdAllergyNo phrases the mapping adds to the built-in ones for an allergy to
     *                          gadolinium stated or denied (may be null)
     */
    public FreeTextReader(TreatmentDictionary dictionary, CreatinineUnits creatinineUnits, List<String> extraFlairYes,
                          List<String> extraFlairNo, List<String> extraPregnantYes, List<String> extraPregnantNo,
                          List<String> extraGdAllergyYes, List<String> extraGdAllergyNo) {
        this.gdAllergyNo = plus(GD_ALLERGY_NO, extraGdAllergyNo);
        this.gdAllergyYes = plus(GD_ALLERGY_YES, extraGdAllergyYes);
        this.dictionary = dictionary;
        this.creatinineUnits = creatinineUnits;
        this.flairNo = plus(FLAIR_NO, extraFlairNo);
        this.flairYes = plus(FLAIR_YES, extraFlairYes);
        this.pregnantNo = plus(PREGNANT_NO, extraPregnantNo);
        this.pregnantYes = plus(concat(PREGNANT_YES, PREGNANT_POSSIBLE, PREGNANT_UNKNOWN), extraPregnantYes);
        this.pregnantStated = plus(PREGNANT_YES, extraPregnantYes);
        this.pregnantHedged = plus(concat(PREGNANT_NO, PREGNANT_POSSIBLE, PREGNANT_UNKNOWN), extraPregnantNo);
        this.pregnantPossible = plus(PREGNANT_POSSIBLE, null);
        this.pregnantNoOrUnknown = plus(concat(PREGNANT_NO, PREGNANT_UNKNOWN), extraPregnantNo);
        this.gatePregnancy = (extraPregnantYes == null || extraPregnantYes.isEmpty())
                && (extraPregnantNo == null || extraPregnantNo.isEmpty());
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> l : lists) {
            all.addAll(l);
        }
        return all;
    }

    /** The built-in phrases and the mapping's ones as one alternation, whole words on folded text. */
    private static Pattern plus(List<String> builtIn, List<String> phrases) {
        StringBuilder re = new StringBuilder();
        for (String r : builtIn) {
            re.append(re.length() == 0 ? "" : "|").append("(?:").append(r).append(')');
        }
        if (phrases != null) {
            for (String p : phrases) {
                if (p != null && !p.isBlank()) {
                    re.append('|').append("(?:").append(TreatmentDictionary.wordRegex(p)).append(')');
                }
            }
        }
        return Pattern.compile("(?<![\\p{L}\\d])(?:" + re + ")(?![\\p{L}\\d])");
    }

    private record Anchor(int kind, int start, int end, TreatmentDictionary.Treatment treatment) {
    }

    /**
     * @param field where the text is, e.g. "OBR-13", "NTE-3"
     * @param text  the text as received (Unicode)
     * @param ref   the exam date: a previous MRI is on or before it; dates written relative ("il y a 5 mois") and
     *              durations ("depuis 18 mois") are counted back from it
     */
    public TextFacts read(String field, String text, LocalDate ref) {
        return read(field, text, ref, null);
    }

    /**
     * @param field     where the text is, e.g. "OBR-13", "NTE-3"
     * @param text      the text as received (Unicode)
     * @param ref       the exam date: a previous MRI is on or before it
     * @param writtenOn the day the order was written (ORC-9, else MSH-7), or null: dates written relative ("il y a
     *                  5 mois") and durations ("depuis 18 mois") are counted back from it, as the one who wrote them
     *                  meant; from the exam when it is null or after the exam
     */
    public TextFacts read(String field, String text, LocalDate ref, LocalDate writtenOn) {
        TextFacts out = new TextFacts();
        if (text == null || text.isBlank()) {
            return out;
        }
        Ref when = new Ref(ref, writtenOn != null && ref != null && writtenOn.isBefore(ref) ? writtenOn : ref);
        String folded = Texts.fold(text);
        boolean cut = false;
        for (int[] clause : Texts.clauses(text)) {
            clause(field, text, folded, clause[0], clause[1], when, out);
            cut |= clause.length > 2 && clause[2] == 1;
        }
        if (cut) {
            out.notes.add(field + ": a run of over " + Texts.MAX_CLAUSE + " characters without a line break, ';' or"
                    + " sentence end was read in parts: a statement across a cut may have been missed.");
        }
        dialysis(field, text, folded, out); // after every clause: an eGFR written anywhere wins
        renalFailure(field, text, folded, out); // then a renal failure stated without an eGFR
        return out;
    }

    /**
     * The exam's date, and the day a date written relative to "now" is counted back from: the day the order was
     * written when it is known and earlier, else the exam's date.
     */
    private record Ref(LocalDate exam, LocalDate counted) {
        /** What a duration or a relative date is counted back from, as the fact says it. */
        String from() {
            return java.util.Objects.equals(counted, exam) ? "the exam" : "the order of " + counted;
        }
    }

    private void clause(String field, String text, String f, int cs, int ce, Ref when, TextFacts out) {
        LocalDate ref = when.exam();
        List<Anchor> anchors = anchors(f, cs, ce);
        String quote = Texts.quote(text, cs, ce);

        pregnancy(field, f, cs, ce, quote, out);
        gdAllergy(field, f, cs, ce, quote, out);

        // treatments: the current one is the first not stated as stopped; in a switch, the last one named
        List<Anchor> treatments = anchors.stream().filter(a -> a.kind() == TREATMENT).toList();
        boolean isSwitch = treatments.stream().map(a -> a.treatment().generic()).distinct().count() > 1
                && SWITCH.matcher(f.substring(cs, ce)).find();
        for (int i = 0; i < treatments.size(); i++) {
            Anchor a = treatments.get(i);
            String lastGeneric = treatments.get(treatments.size() - 1).treatment().generic();
            if (isSwitch && !a.treatment().generic().equals(lastGeneric)) {
                continue;
            }
            int segEnd = segmentEnd(anchors, a, ce);
            // "Natalizumab (Tysabri) commencé il y a 15 mois": a name in brackets right after another name of the
            // same treatment is one name with it: the start word is looked for before the first, the dates after
            // the closing bracket
            int nameStart = a.start();
            int nameEnd = a.end();
            if (i > 0 && treatments.get(i - 1).treatment().generic().equals(a.treatment().generic())
                    && OPEN_BRACKET.matcher(f.substring(treatments.get(i - 1).end(), a.start())).matches()) {
                Matcher close = CLOSE_BRACKET.matcher(f).region(a.end(), segEnd);
                if (close.lookingAt()) {
                    nameStart = treatments.get(i - 1).start();
                    nameEnd = close.end();
                }
            }
            String before = f.substring(Math.max(cs, nameStart - 40), nameStart);
            String after = f.substring(a.end(), segEnd);
            if (!isSwitch && (STOPPED_BEFORE.matcher(before).find() || STOPPED_AFTER.matcher(after).find())) {
                continue;
            }
            if (out.treatment == null) {
                out.treatment = new Evidence<>(a.treatment(), new Fact("treatment", a.treatment().generic(), field,
                        quote), false);
            } else if (!out.treatment.value().generic().equals(a.treatment().generic())) {
                // another treatment named after the current one: its planned start is the new DMT's ("sous
                // Tecfidera, introduction d'Ocrevus prévue le 20/12/2026", "on Tecfidera. Ocrevus planned 2026-12-20")
                plannedOther(field, f, cs, a, nameEnd, segEnd, before, when, quote, out);
                continue;
            }
            // a duration stated as one right after the name ("Tysabri depuis 3 ans, poussée débutée le 02/03/2026"
            // started 3 years back) unless a start date follows it at once; else a start word's date, then the
            // first date after the name that is not a dose ("Ocrevus 09/2021"), then a bare duration ("Tysabri 3 ans")
            boolean startBeforeName = START_BEFORE_NAME.matcher(before).find();
            Since since = out.treatmentStart == null && out.plannedStart == null
                    ? durationStart(f, nameEnd, segEnd, when.counted()) : null;
            TextDates.Found found = null;
            if (since != null && !since.explicit()) {
                // a bare "3 ans" after the name: a start date elsewhere wins, as it always did
                found = startDate(f, nameEnd, segEnd, when.counted(), startBeforeName);
                if (found != null) {
                    since = null;
                }
            }
            if (since != null && since.explicit()) {
                // a start date written right after the duration says it better ("Tysabri depuis 2 ans (1ère
                // perfusion 01/2023)", "for 2 years (first infusion 11/2022)"); one after other words starts
                // something else
                TextDates.Found exact = startDate(f, since.end(), segEnd, when.counted(), false);
                if (exact != null && !exact.relative() && EXACT_AFTER_DURATION.matcher(
                        f.substring(since.end(), exact.start())).find()) {
                    since = null;
                    found = exact;
                }
            }
            if (since != null) {
                out.treatmentStart = new Evidence<>(since.date(), new Fact("treatmentStart", since.date() + " ("
                        + since.words() + " before " + when.from() + ")", field, quote), false);
            } else if (found == null) {
                found = startDate(f, nameEnd, segEnd, when.counted(), startBeforeName);
            }
            if (found != null && out.treatmentStart == null && out.plannedStart == null) {
                PartialDate d = found.date();
                // a date written relative to now is past by its words ("since starting Ocrevus 2 years ago")
                boolean planned = !found.relative()
                        && (plannedWords(f, Math.max(cs, a.start() - 40), found, segEnd) || d.date().isAfter(ref));
                Fact fact = new Fact(planned ? "plannedTreatmentStart" : "treatmentStart", d.toString(), field, quote);
                if (planned) {
                    out.plannedStart = new Evidence<>(d, fact, false);
                } else {
                    out.treatmentStart = new Evidence<>(d, fact, false);
                }
            }
        }

        for (int i = 0; i < anchors.size(); i++) {
            Anchor a = anchors.get(i);
            switch (a.kind()) {
                case MRI -> mri(field, f, cs, ce, anchors, a, when, quote, out);
                case JCV -> jcv(field, text, f, anchors, a, cs, ce, quote, out);
                case EGFR -> egfr(field, f, anchors, a, ce, quote, out);
                case CREAT -> creatinine(field, f, anchors, a, ce, quote, out);
                default -> {
                }
            }
        }
    }

    /**
     * A duration right after the treatment's name ("Tysabri depuis 3 ans", "on natalizumab for 4 years", "x 3 yrs",
     * "depuis 18 mois"): the start is that long before the order was written (else the exam), to the month.
     */
    private static final Pattern DURATION = Pattern.compile("^[\\s,:()]*(?:(?:depuis|since|for|x|pendant|during|over"
            + "|de|sous|on|treated|traite|traitee)\\s*)*(\\d{1,2})\\s*(ans?|annees?|years?|yrs?|mois|months?|mo)(?![\\p{L}])");
    /** A start read from a duration, and the words of that duration. */
    private record Since(PartialDate date, String words, int end, boolean explicit) {
    }

    private static Since durationStart(String f, int from, int to, LocalDate counted) {
        Matcher m = DURATION.matcher(f).region(from, Math.min(to, from + 40));
        if (!m.find()) {
            return null;
        }
        int n = Integer.parseInt(m.group(1));
        String unit = m.group(2);
        LocalDate start = unit.startsWith("mo") ? counted.minusMonths(n) : counted.minusYears(n);
        // "depuis 3 ans", "for 4 years", "x 3 yrs" say how long the treatment has run; a bare "3 ans" may not
        // ("Tysabri 3 ans puis pause", "Ocrevus, 2 ans après le diagnostic")
        boolean explicit = DURATION_WORD.matcher(f.substring(m.start(), m.start(1))).find();
        return new Since(new PartialDate(start.withDayOfMonth(1), PartialDate.Precision.MONTH),
                f.substring(m.start(1), m.end(2)), m.end(), explicit);
    }

    /**
     * The treatment's start among the dates after its name: the one after a start word ("introduit 09/2021"),
     * else the first one that is not a dose ("dernière perfusion 01/2026"); null when none. A date written
     * relative to now ("il y a 5 mois", counted back from {@code counted}) is the start only when it says so:
     * after a start word ("débuté il y a 5 mois"), or right after the name a start word precedes
     * ({@code startBeforeName}: "mise sous Kesimpta il y a 3 semaines", "started Ocrevus 5 months ago"). Any other ("bilan il y a 2 mois", "poussée il y a 2 mois") dates
     * something else, and a duration ("depuis 3 ans") is read instead.
     */
    private static TextDates.Found startDate(String f, int from, int to, LocalDate counted,
                                             boolean startBeforeName) {
        List<TextDates.Found> dates = TextDates.find(f, from, to, counted);
        int prev = from;
        TextDates.Found firstNotDose = null;
        for (TextDates.Found d : dates) {
            String before = f.substring(prev, d.start());
            if (d.relative()) {
                // a date written relative to now dates the treatment only right after its name, introduced by
                // a start word ("Ocrevus débuté il y a 5 mois") or with a start word before the name ("mise sous
                // Kesimpta il y a 3 semaines"); anywhere else it dates something else ("Tysabri 2019, NORB débutée
                // il y a 2 sem.", "on Tysabri, new symptoms started 2 weeks ago") and is not read at all
                if (prev == from && (RELATIVE_START.matcher(before).find()
                        || (startBeforeName && RIGHT_AFTER_NAME.matcher(before).matches()))) {
                    return d;
                }
                continue; // nor does it end the words before the next date
            }
            if (START_WORDS.matcher(before).find()) {
                return d;
            }
            if (firstNotDose == null && !DOSE_WORDS.matcher(before).find()) {
                firstNotDose = d;
            }
            prev = d.end();
        }
        return firstNotDose;
    }

    /** The words of an explicit duration: "depuis", "since", "for", "x", "pendant", "during", "over". */
    private static final Pattern DURATION_WORD = Pattern.compile("(?<![\\p{L}])(?:depuis|since|for|x|pendant|during"
            + "|over)(?![\\p{L}])");

    /** After a duration, only punctuation, then a start word and its date: " (1ère perfusion 01/2023", ") depuis 2021". */
    private static final Pattern EXACT_AFTER_DURATION = Pattern.compile("^[\\s,;:()\\[\\]-]*(?:" + START_VERBS
            + "|introduction|debut|start|1st course|1st infusion|1ere injection|premiere injection|first injection"
            + "|first dose)(?![\\p{L}])[^0-9]{0,12}$");

    /** A start word right before a treatment's name: "mise sous Kesimpta", "started Ocrevus", "relais par". */
    private static final Pattern START_BEFORE_NAME = Pattern.compile("(?<![\\p{L}])(?:mise? sous|started(?: on)?"
            + "|starting|initiated(?: on)?|began|begun|commenced|introduction (?:de |du |d')|instauration (?:de |du |d')"
            + "|initiation (?:of |de |du |d')|debut (?:de |du |d')|relais par|relai par|relayee? par|passage (?:a|sous)"
            + "|switch(?:ed)? to|changed to)\\s*(?:le |la |l')?$");
    /** Between a treatment's name and its other name in brackets: "natalizumab (Tysabri)". */
    private static final Pattern OPEN_BRACKET = Pattern.compile("\\s*\\(\\s*");
    /** The bracket that closes the other name. */
    private static final Pattern CLOSE_BRACKET = Pattern.compile("\\s*\\)");
    /** Between the name and a date that dates it: "mise sous Ocrevus il y a 5 mois" (a comma or a dash: no). */
    private static final Pattern RIGHT_AFTER_NAME = Pattern.compile("\\s*");

    private List<Anchor> anchors(String f, int cs, int ce) {
        List<Anchor> out = new ArrayList<>();
        // one scan for the four kinds; "clairance de la créatinine" is an eGFR (its branch comes first)
        Matcher m = ANCHORS.matcher(f);
        m.useTransparentBounds(true);
        Pattern names = dictionary.combined();
        Matcher t = names == null ? null : names.matcher(f);
        if (t != null) {
            t.useTransparentBounds(true);
        }
        int i = cs;
        while (i < ce) {
            if (!Texts.wordStart(f, i)) {
                i++;
                continue;
            }
            m.region(i, ce);
            if (m.lookingAt()) {
                int kind = m.start(1) >= 0 ? EGFR : m.start(2) >= 0 ? MRI : m.start(3) >= 0 ? JCV : CREAT;
                out.add(new Anchor(kind, m.start(), m.end(), null));
                i = m.end();
                continue;
            }
            if (t != null) {
                t.region(i, ce);
                if (t.lookingAt()) {
                    TreatmentDictionary.Treatment tr = dictionary.at(t.group());
                    if (tr != null) {
                        out.add(new Anchor(TREATMENT, t.start(), t.end(), tr));
                        i = t.end();
                        continue;
                    }
                }
            }
            i++;
        }
        out.sort((a, b) -> Integer.compare(a.start(), b.start()));
        return out;
    }

    private static void add(List<Anchor> out, Pattern p, int kind, String f, int cs, int ce) {
        Matcher m = p.matcher(f).region(cs, ce);
        while (m.find()) {
            out.add(new Anchor(kind, m.start(), m.end(), null));
        }
    }

    /** Where the words about an anchor end: at the next anchor of another kind (or another treatment). */
    private static int segmentEnd(List<Anchor> anchors, Anchor a, int ce) {
        for (Anchor b : anchors) {
            if (b.start() < a.end()) {
                continue;
            }
            boolean same = b.kind() == a.kind() && (a.kind() != TREATMENT
                    || b.treatment().generic().equals(a.treatment().generic()));
            if (!same || a.kind() == MRI) {
                return b.start();
            }
        }
        return ce;
    }

    private void mri(String field, String f, int cs, int ce, List<Anchor> anchors, Anchor a, Ref when,
                     String quote, TextFacts out) {
        LocalDate ref = when.exam();
        int segEnd = segmentEnd(anchors, a, ce);
        // the words that qualify this MRI: from the end of the previous MRI mention to the next one
        int nextMri = ce;
        int prevEnd = cs;
        for (Anchor b : anchors) {
            if (b.kind() == MRI && b.start() >= a.end()) {
                nextMri = b.start();
                break;
            }
            if (b.kind() == MRI && b.end() <= a.start()) {
                prevEnd = b.end();
            }
        }
        String before = f.substring(Math.max(prevEnd, a.start() - 30), a.start());
        boolean previousMri = PRIOR_WORDS.matcher(before).find()
                || PRIOR_WORDS.matcher(f.substring(a.end(), Math.min(segEnd, a.end() + 25))).find();
        // a date written relative to now dates this MRI only in its own words, the MRI said to be a previous
        // or a done one ("Dernière IRM : il y a 8 mois", "IRM médullaire réalisée il y a 4 ans"); otherwise it
        // dates the reason for this exam or something else ("IRM cérébrale pour NORB il y a 3 semaines", "IRM
        // médullaire demandée il y a 3 mois, non réalisée") and is not read at all
        List<TextDates.Found> dates = TextDates.find(f, a.end(), segEnd, when.counted()).stream()
                .filter(d -> !d.relative() || relativeDatesThisMri(f, a.end(), d.start(), d.end(), previousMri)).toList();
        TextDates.Found date = dates.isEmpty() ? null : dates.get(0);
        // the words that name this MRI's region: from the start of its clause ("Pas d'IRM cérébrale antérieure, IRM
        // médullaire il y a 2 mois" is a spinal cord MRI, not a brain one)
        int headStart = Math.max(prevEnd, a.start() - 30);
        for (int i = a.start() - 1; i >= headStart; i--) {
            char c = f.charAt(i);
            if (c == ',' || c == ';' || c == '.') {
                headStart = i + 1;
                break;
            }
        }
        String head = f.substring(headStart, date == null ? Math.min(segEnd, a.end() + 40) : date.start());
        boolean spine = SPINE.matcher(head).find();
        boolean brain = BRAIN.matcher(head).find();
        if (!brain && LUMBAR.matcher(head).find() && !CORD.matcher(head).find()) {
            return; // a lumbar spine MRI: no cord, no brain
        }
        brain = brain || !spine;
        if (date != null && date.date().date().isAfter(ref)) {
            return; // a planned MRI (or this one), not a previous one
        }
        String justBefore = f.substring(Math.max(prevEnd, a.start() - 20), a.start());
        // "No previous MRI" alone says there is none; with a date or another MRI after it ("no previous MRI here,
        // outside MRI 3 months ago") it speaks of this hospital's images only, and is read as before
        boolean noPreviousMri = NO_PREVIOUS_MRI_BEFORE.matcher(justBefore).find()
                && !ANOTHER_MRI.matcher(f).region(a.end(), f.length()).find()
                && TextDates.find(f, a.end(), sentenceEnd(f, a.end(), ce), when.counted()).isEmpty();
        if (brain && (NO_MRI_BEFORE.matcher(justBefore).find() || noPreviousMri
                || UNAVAILABLE_AFTER.matcher(f.substring(a.end(), nextMri)).find())) {
            if (out.priorBrainMri == null && out.priorBrainMriMentioned == null) {
                out.priorBrainMriMentioned = new Evidence<>(false, new Fact("priorBrainMri", "none available", field,
                        quote), false);
            }
            return;
        }
        boolean prior = date != null || previousMri;
        if (!prior) {
            return;
        }
        if (spine && date != null && (out.lastSpineMri == null
                || date.date().date().isAfter(out.lastSpineMri.value().date()))) {
            out.lastSpineMri = new Evidence<>(date.date(), new Fact("lastSpineMri", date.date().toString(), field,
                    quote), false);
        }
        if (!brain) {
            return;
        }
        if (date != null && out.priorBrainMri == null) {
            out.priorBrainMri = new Evidence<>(date.date(), new Fact("priorBrainMri", date.date().toString(), field,
                    quote), false);
        } else if (date == null && out.priorBrainMri == null && out.priorBrainMriMentioned == null) {
            out.priorBrainMriMentioned = new Evidence<>(true, new Fact("priorBrainMri", "yes, date not given", field,
                    quote), false);
        }
        if (out.priorMri3dFlair == null) {
            Boolean flair = phrase(f, a.end(), nextMri, flairNo, flairYes);
            if (flair == null) {
                flair = phrase(f, Math.max(prevEnd, a.start() - 30), a.start(), flairNo, flairYes);
            }
            if (flair != null) {
                out.priorMri3dFlair = new Evidence<>(flair, new Fact("priorMri3dFlair", flair ? "yes" : "no", field,
                        quote), false);
            }
        }
    }

    /** Negative phrases first (their words are then not read again), then positive ones; null when neither. */
    private static Boolean phrase(String f, int from, int to, Pattern no, Pattern yes) {
        if (to <= from) {
            return null;
        }
        boolean[] masked = new boolean[to - from];
        boolean negative = false;
        for (int[] hit : Texts.wordMatches(no, f, from, to)) {
            negative = true;
            for (int k = hit[0]; k < hit[1]; k++) {
                masked[k - from] = true;
            }
        }
        {
            for (int[] hit : Texts.wordMatches(yes, f, from, to)) {
                boolean free = true;
                for (int k = hit[0]; k < hit[1]; k++) {
                    if (masked[k - from]) {
                        free = false;
                        break;
                    }
                }
                if (free) {
                    return true;
                }
            }
        }
        return negative ? false : null;
    }

    private static final String[] PREGNANCY_STEMS = {"grossess", "enceinte", "pregnan", "hcg", "gestation", "amenorrhee",
        "regles",
        " sa", "semaine", "week"};

    private static boolean mentionsPregnancy(String f, int cs, int ce) {
        for (String stem : PREGNANCY_STEMS) {
            if (Texts.contains(f, stem, cs, ce)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A wish or a plan of pregnancy says nothing of now: "désir de grossesse", "planning a pregnancy" were read as
     * "not pregnant" (PregnancyStatus 1 on the console) for a woman who may already be; they are masked instead.
     */
    private static final Pattern PREGNANCY_WISH = Pattern.compile("(?<![\\p{L}])(?:(?:desir|projet|souhait) de "
            + "grossesse(?: \\w+){0,3}|wish(?:es)? (?:for|to become) pregnan\\w*|planning (?:a )?pregnancy"
            + "|trying to conceive)(?![\\p{L}])");

    private void pregnancy(String field, String f, int cs, int ce, String quote, TextFacts out) {
        if (gatePregnancy && !mentionsPregnancy(f, cs, ce)) {
            return;
        }
        Matcher wish = PREGNANCY_WISH.matcher(f).region(cs, ce);
        if (wish.find()) {
            StringBuilder masked = new StringBuilder(f);
            do {
                for (int i = wish.start(); i < wish.end(); i++) {
                    masked.setCharAt(i, ' ');
                }
            } while (wish.find());
            f = masked.toString();
        }
        Boolean p = phrase(f, cs, ce, pregnantNo, pregnantYes);
        if (p == null) {
            return;
        }
        // a stated pregnancy, then one not ruled out, then an unknown status: "possibly pregnant" holds a "pregnant"
        String value = !p ? "no"
                : Boolean.TRUE.equals(phrase(f, cs, ce, pregnantHedged, pregnantStated)) ? "yes"
                : Boolean.TRUE.equals(phrase(f, cs, ce, pregnantNoOrUnknown, pregnantPossible)) ? "possible"
                : "not ruled out";
        Fact fact = new Fact("pregnancy", value, field, quote);
        // the most risky statement anywhere wins over a less risky one elsewhere: never silent when it is risky
        if (out.pregnant == null || FactExtractor.morePregnant(fact, out.pregnant.fact())) {
            out.pregnant = new Evidence<>(p, fact, false);
        }
    }

    /**
     * A start ahead of the day the text was written, in words: "next month", "le mois prochain", "la semaine
     * prochaine", "dans 3 semaines", "in 2 weeks", "d'ici 1 mois". Only read for a treatment named after the current
     * one with a planned word before it ("to start Ocrevus next month"): a plan, never a previous MRI or a result.
     */
    private static final Pattern AHEAD = Pattern.compile("(?<![\\p{L}\\d])(?:next (?<next>week|month)"
            + "|(?:le |la )?(?<prochain>mois|semaine) prochaine?|(?:dans|in|d'ici|within) (?<n>\\d{1,2}|un|une|deux|trois|quatre|one|two|three"
            + "|four|a) (?<unit>jours?|semaines?|mois|days?|weeks?|months?))(?![\\p{L}\\d])");

    private static LocalDate ahead(Matcher m, LocalDate from) {
        String next = m.group("next") != null ? m.group("next") : m.group("prochain");
        if (next != null) {
            return next.equals("week") || next.equals("semaine") ? from.plusWeeks(1) : from.plusMonths(1);
        }
        String w = m.group("n");
        int n = switch (w) {
            case "un", "une", "one", "a" -> 1;
            case "deux", "two" -> 2;
            case "trois", "three" -> 3;
            case "quatre", "four" -> 4;
            default -> Integer.parseInt(w);
        };
        String u = m.group("unit");
        return u.startsWith("j") || u.startsWith("d") ? from.plusDays(n)
                : u.startsWith("s") || u.startsWith("w") ? from.plusWeeks(n) : from.plusMonths(n);
    }

    /** A planned word right after a start date ("Ocrevus 20/12/2026 prévu"). */
    private static final Pattern PLANNED_AFTER_DATE = Pattern.compile("^[\\s,)]*(?:prevu|prevue|programme|programmee"
            + "|planned|planifie|planifiee|scheduled|a venir)(?![\\p{L}])");

    /**
     * Whether the words make a treatment's start date a plan: a planned word before the date ("introduction
     * prévue le 20/12/2026", "to start 2026-12-20") or right after it. Words after the date and its own planned word
     * say something else: "on Tecfidera since 2019, to start Ocrevus next month" planned Tecfidera's 2019.
     */
    private static boolean plannedWords(String f, int from, TextDates.Found date, int segEnd) {
        return PLANNED.matcher(f.substring(from, Math.max(from, date.start()))).find()
                || PLANNED_AFTER_DATE.matcher(f.substring(date.end(), Math.max(date.end(), segEnd))).find();
    }

    /**
     * The planned start of a treatment named after the current one, when a date after it is planned by its words
     * or after the exam; the current treatment stays the one the patient is on.
     */
    private void plannedOther(String field, String f, int cs, Anchor a, int nameEnd, int segEnd, String before,
                              Ref when, String quote, TextFacts out) {
        if (out.plannedStart != null) {
            return;
        }
        TextDates.Found found = startDate(f, nameEnd, segEnd, when.counted(), START_BEFORE_NAME.matcher(before).find());
        if (found == null) {
            // "to start Ocrevus next month", "Kesimpta à débuter dans 3 semaines": a start ahead, by its words
            Matcher ahead = AHEAD.matcher(f).region(nameEnd, segEnd);
            if (ahead.find() && PLANNED.matcher(f.substring(Math.max(cs, a.start() - 40), ahead.start())).find()) {
                LocalDate d = ahead(ahead, when.counted());
                out.plannedStart = new Evidence<>(new PartialDate(d, PartialDate.Precision.DAY), new Fact(
                        "plannedTreatmentStart", d + " (" + a.treatment().generic() + ", " + ahead.group().strip()
                        + " after " + when.from() + ")", field, quote), false);
                out.plannedNewTreatment = true;
            }
            return;
        }
        if (found.relative()) {
            return;
        }
        PartialDate d = found.date();
        if (plannedWords(f, Math.max(cs, a.start() - 40), found, segEnd) || d.date().isAfter(when.exam())) {
            out.plannedStart = new Evidence<>(d, new Fact("plannedTreatmentStart", d + " (" + a.treatment().generic()
                    + ")", field, quote), false);
            out.plannedNewTreatment = true;
        }
    }

    /**
     * An allergy or a previous reaction to gadolinium or a Gd-based agent ("allergie au gadolinium", "réaction
     * allergique au Dotarem en 2021", "allergic to gadolinium"); a denial ("pas d'allergie au gadolinium", "NKDA")
     * or an allergy to iodinated contrast ("allergie à l'iode") is not one. Only a stated allergy is kept.
     */
    private void gdAllergy(String field, String f, int cs, int ce, String quote, TextFacts out) {
        if (out.gdAllergy != null) {
            return;
        }
        if (Boolean.TRUE.equals(phrase(f, cs, ce, gdAllergyNo, gdAllergyYes))) {
            out.gdAllergy = new Evidence<>(true, new Fact("gdAllergy", "gadolinium", field, quote), false);
        }
    }

    /** Whether a text (an AL1 allergen, a clinical phrase) names gadolinium or a Gd-based agent, not denied. */
    public boolean namesGdAllergen(String text) {
        if (text == null || text.isBlank()) {
            return false;
        }
        String f = Texts.fold(text);
        if (Texts.wordMatches(gdAllergyNo, f, 0, f.length()).size() > 0) {
            return false;
        }
        return GD_AGENT.matcher(f).find() || GD_BASED.matcher(f).find()
                || Boolean.TRUE.equals(phrase(f, 0, f.length(), gdAllergyNo, gdAllergyYes));
    }

    /** Whether an AL1 allergen text says there is no known allergy ("NKA", "No known allergies", "aucune"). */
    public boolean deniesAllergy(String text) {
        if (text == null || text.isBlank()) {
            return true;
        }
        return NO_ALLERGEN.matcher(Texts.fold(text).trim()).matches();
    }

    /** A JCV result with its date, and where its words are in the text (its index is read there). */
    private record DatedResult(boolean positive, java.time.LocalDate when, int from, int to) {
    }

    /**
     * The JCV results of [from, to), each with its date: the date after each result ("positif en 2022, négatif en
     * 10/2026") or, when not every result has one, the date before each ("JCV : 2022 négatif, 10/2026 positif").
     * Empty when a result has no date. A result's words run to the next result's.
     */
    private static List<DatedResult> datedResults(String f, int from, int to) {
        List<TextDates.Found> dates = TextDates.find(f, from, to);
        List<DatedResult> after = datedResults(f, from, to, dates, true);
        return !after.isEmpty() ? after : datedResults(f, from, to, dates, false);
    }

    private static List<DatedResult> datedResults(String f, int from, int to, List<TextDates.Found> dates,
                                                  boolean after) {
        List<int[]> results = new ArrayList<>(); // start, end, positive
        for (Pattern p : new Pattern[] {JCV_POS, JCV_NEG}) {
            Matcher m = p.matcher(f).region(from, to);
            m.useTransparentBounds(true);
            while (m.find()) {
                results.add(new int[] {m.start(), m.end(), p == JCV_POS ? 1 : 0});
            }
        }
        results.sort(java.util.Comparator.comparingInt(r -> r[0]));
        List<TextDates.Found> found = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            int[] r = results.get(i);
            TextDates.Found date = null;
            for (TextDates.Found d : dates) {
                boolean near = after ? d.start() >= r[1] && (d.start() - r[1] <= 15
                        // its index in brackets between: "positif (index 1,8) en 2022"
                        || BRACKET_THEN_DATE.matcher(f.substring(r[1], d.start())).matches())
                        // before it, and after the result before it: that result's date is not this one's
                        : d.end() <= r[0] && r[0] - d.end() <= 15 && (i == 0 || d.start() >= results.get(i - 1)[1]);
                if (near && !d.relative()) {
                    date = d; // the nearest before it is the last one found before it
                    if (after) {
                        break;
                    }
                }
            }
            if (date == null) {
                return List.of();
            }
            found.add(date);
        }
        List<DatedResult> out = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            int start = Math.min(results.get(i)[0], found.get(i).start());
            int end = i + 1 < results.size() ? Math.min(results.get(i + 1)[0], found.get(i + 1).start()) : to;
            out.add(new DatedResult(results.get(i)[2] == 1, found.get(i).date().date(), start, Math.max(start, end)));
        }
        return out;
    }

    /** Between a result and its date, its index in brackets: " (index 1,8) en ". */
    private static final Pattern BRACKET_THEN_DATE = Pattern.compile("\\s*\\([^()]{0,25}\\)\\s*(?:en|in|le|on|du|of|:|,)?\\s*");

    /** The newest of dated results (the first stated of the newest date). */
    private static DatedResult newest(List<DatedResult> dated) {
        DatedResult newest = null;
        for (DatedResult r : dated) {
            if (newest == null || r.when().isAfter(newest.when())) {
                newest = r;
            }
        }
        return newest;
    }

    private static void jcv(String field, String text, String f, List<Anchor> anchors, Anchor a, int cs, int ce,
                            String quote, TextFacts out) {
        int own = segmentEnd(anchors, a, ce);
        int segEnd = Math.min(own, a.end() + 60);
        if (own == ce) {
            // a list of dated results split by ";", "|" or lines ("JCV : 2022 : négatif ; 10/2026 : positif",
            // "index JCV 03/2026 0,3 ; 11/2026 1,8"): its next items, a date and a result each, are read with it,
            // and quoted with it
            int items = datedItemsEnd(f, ce);
            if (items > ce) {
                segEnd = Math.max(segEnd, items);
                quote = Texts.quote(text, cs, items);
            }
        }
        String seg = f.substring(a.end(), segEnd);
        List<DatedResult> dated = datedResults(f, a.end(), segEnd);
        DatedResult newest = newest(dated);
        boolean list = dated.size() > 1;
        Matcher pos = JCV_POS.matcher(seg);
        Matcher neg = JCV_NEG.matcher(seg);
        int ps = pos.find() ? pos.start() : Integer.MAX_VALUE;
        int ns = neg.find() ? neg.start() : Integer.MAX_VALUE;
        // "séroconversion JCV en 10/2026 (négatif en 2022)", "JCV : séroconversion": the antibodies are now found,
        // as of the first date after the word (when the text gives one)
        Matcher sero = SEROCONVERSION.matcher(f).region(Math.max(cs, a.start() - 30), Math.min(segEnd, a.end() + 40));
        sero.useTransparentBounds(true);
        boolean seroconversion = sero.find();
        java.time.LocalDate seroDate = null;
        if (seroconversion) {
            for (TextDates.Found d : TextDates.find(f, sero.end(), Math.min(segEnd, sero.end() + 40))) {
                if (!d.relative()) {
                    seroDate = d.date().date();
                    break;
                }
            }
        }
        // the newest of dated results ("JCV négatif en 2022, positif en 10/2026 (index 1,4)"), else the first stated
        Boolean status = newest != null ? Boolean.valueOf(newest.positive())
                : ps != ns ? Boolean.valueOf(ps < ns) : null;
        java.time.LocalDate when = newest == null ? null : newest.when();
        boolean fromNewest = newest != null;
        // a seroconversion, unless a result dated after it says otherwise ("séroconversion en 2023, négatif en
        // 10/2025")
        if (seroconversion && (when == null || seroDate == null || !seroDate.isBefore(when))) {
            status = true;
            when = seroDate;
            fromNewest = false;
        }
        // a result dated after the one read from an earlier statement replaces it ("JCV négatif en 2022. JCV
        // positif en 10/2026.", "JCV négatif en 2022. Séroconversion JCV en 10/2025."), its index with it
        boolean newer = out.jcvPositive != null && out.jcvDate != null && when != null && when.isAfter(out.jcvDate);
        if (status != null && (out.jcvPositive == null || newer)) {
            out.jcvPositive = new Evidence<>(status, new Fact("jcvStatus", status ? "positive" : "negative",
                    field, quote), false);
            out.jcvDate = when;
            if (newer) {
                out.jcvIndex = null;
            }
        }
        list = list && fromNewest;
        if (out.jcvIndex == null) {
            // of a list of dated results, the index of the newest only (an older result's index is not the newest's)
            int from = list ? newest.from() : a.end();
            int to = list ? newest.to() : segEnd;
            List<TextDates.Found> dates = TextDates.find(f, from, to);
            // "index 0,3 en 03/2026, 1,8 en 11/2026", "03/2026 0,3 ; 11/2026 1,8": the newer of dated indexes
            String number = latestDatedIndex(f, dates, from, to);
            Matcher m = INDEX.matcher(f).region(from, to);
            while (number == null && m.find()) {
                if (outside(dates, m.start(1))) {
                    number = m.group(1);
                }
            }
            if (number == null) {
                Matcher d = DECIMAL.matcher(f).region(from, to);
                while (d.find()) {
                    if (outside(dates, d.start(1))) {
                        number = d.group(1);
                        break;
                    }
                }
            }
            if (number != null) {
                BigDecimal v = new BigDecimal(number.replace(',', '.'));
                out.jcvIndex = new Evidence<>(v, new Fact("jcvIndex", v.toPlainString(), field, quote), false);
            }
        }
    }

    /** A seroconversion stated, not denied: "séroconversion JCV", "a séroconverti", "seroconverted". */
    private static final Pattern SEROCONVERSION = Pattern.compile("(?<![\\p{L}])(?<!pas de )(?<!sans )(?<!no )"
            + "(?<!absence de )(?<!not )(?<!pas )(?:seroconver\\w*)(?![\\p{L}])");

    /** What follows the date of a list's next item: only a JCV result ("; 10/2026 : positif", "| 11/2026 1,8"). */
    private static final Pattern DATED_ITEM_RESULT = Pattern.compile("^\\s*[:=]?\\s*(?:(?:positi\\w*|negati\\w*|pos|neg"
            + "|\\+|-)(?![\\p{L}])\\s*[,(]?\\s*(?:(?:index|indice|idx)\\s*[:=]?\\s*)?(?:\\d{1,2}(?:[.,]\\d{1,3})?)?\\)?"
            + "|(?:(?:index|indice|idx)\\s*[:=]?\\s*)?\\d{1,2}(?:[.,]\\d{1,3})?(?:\\s*\\(?(?:positi\\w*|negati\\w*|pos|neg)\\)?)?)"
            + "\\s*\\.?\\s*$");
    /** What comes before the date of an item written result first: "; pos 10/2026", "| positive (10/2026)". */
    private static final Pattern RESULT_BEFORE_DATE = Pattern.compile("^\\s*(?:positi\\w*|negati\\w*|pos|neg|\\+|-)"
            + "(?![\\p{L}])\\s*(?:en|in|le|on|du|of|:|,)?\\s*\\(?\\s*$");
    /** What may follow the date of an item written result first: a closing bracket, an index, a period. */
    private static final Pattern AFTER_ITEM_DATE = Pattern.compile("^\\s*\\)?\\s*[,(]?\\s*(?:(?:index|indice|idx)\\s*[:=]?"
            + "\\s*\\d{1,2}(?:[.,]\\d{1,3})?\\)?)?\\s*\\.?\\s*$");
    /** A list item's mark at the start of its line: "- ", "* ", "• ". */
    private static final Pattern BULLET = Pattern.compile("^\\s*[-*\\u2022\\u00b7]?\\s*$");

    /**
     * Where a list of dated results that goes on past its clause ends: from {@code ce}, each next part after a ";",
     * a "|" or a line break that is a date and a result and nothing else ("; 10/2026 : positif", "| pos 10/2026",
     * a line "- 10/2026 : positif") belongs to it. {@code ce} when none does.
     */
    private static int datedItemsEnd(String f, int ce) {
        int end = ce;
        int n = f.length();
        while (true) {
            int at = end;
            int marks = 0; // ";" and "|" between the two items: two in a row (an empty item) end the list
            boolean separated = false;
            while (at < n && (Character.isWhitespace(f.charAt(at)) || f.charAt(at) == ';' || f.charAt(at) == '|')) {
                char c = f.charAt(at);
                marks += c == ';' || c == '|' ? 1 : 0;
                separated |= c == ';' || c == '|' || c == '\n' || c == '\r';
                at++;
            }
            if (!separated || marks > 1 || at >= n) {
                return end;
            }
            int next = at;
            // the item ends at the next separator, line or sentence end ("; 10/2026 : positif. Dernière IRM ...")
            while (next < n && next - at <= 80 && ";|\r\n".indexOf(f.charAt(next)) < 0
                    && !(f.charAt(next) == '.' && (next + 1 == n || Character.isWhitespace(f.charAt(next + 1))))) {
                next++;
            }
            if (next - at > 80 || !datedItem(f, at, next)) {
                return end;
            }
            end = next;
            while (end > at && Character.isWhitespace(f.charAt(end - 1))) {
                end--;
            }
        }
    }

    /** Whether [from, to) is one dated JCV result: its date then the result, or the result then its date. */
    private static boolean datedItem(String f, int from, int to) {
        List<TextDates.Found> dates = TextDates.find(f, from, to);
        if (dates.size() != 1 || dates.get(0).relative()) {
            return false;
        }
        TextDates.Found d = dates.get(0);
        String before = f.substring(from, d.start());
        String after = f.substring(d.end(), to);
        return BULLET.matcher(before).matches() && DATED_ITEM_RESULT.matcher(after).matches()
                || RESULT_BEFORE_DATE.matcher(before.replaceFirst("^\\s*[*\\u2022\\u00b7]\\s*", "")).matches()
                        && AFTER_ITEM_DATE.matcher(after).matches();
    }

    /** A JCV index right after its date ("11/2026 : 1,8", "11/2026 index 1,8") or right before it ("1,8 en 11/2026"). */
    private static final Pattern INDEX_AFTER_DATE = Pattern.compile("^\\s*[:=]?\\s*(?:(?:index|indice|idx)\\s*[:=]?\\s*)?"
            + "(\\d{1,2}(?:[.,]\\d{1,3})?)(?![\\d/])");
    private static final Pattern INDEX_BEFORE_DATE = Pattern.compile("(?<![\\d/.,])(\\d{1,2}(?:[.,]\\d{1,3})?)\\s*"
            + "(?:[()]\\s*)?(?:en|le|in|on|du|of|:|,)?\\s*\\(?\\s*$");

    /**
     * When two or more JCV indexes each come with their own date, the one of the newest date; null when fewer
     * than two do (the first index stated then counts, as before).
     */
    private static String latestDatedIndex(String f, List<TextDates.Found> dates, int from, int to) {
        List<TextDates.Found> absolute = dates.stream().filter(d -> !d.relative()).toList();
        if (absolute.size() < 2) {
            return null;
        }
        for (boolean after : new boolean[] {true, false}) {
            int dated = 0;
            String newest = null;
            java.time.LocalDate when = null;
            for (int i = 0; i < absolute.size(); i++) {
                TextDates.Found d = absolute.get(i);
                String number = null;
                if (after) {
                    int limit = i + 1 < absolute.size() ? absolute.get(i + 1).start() : to;
                    Matcher m = INDEX_AFTER_DATE.matcher(f).region(d.end(), Math.min(limit, d.end() + 20));
                    if (m.lookingAt()) {
                        number = m.group(1);
                    }
                } else {
                    int limit = i > 0 ? absolute.get(i - 1).end() : from;
                    Matcher m = INDEX_BEFORE_DATE.matcher(f).region(Math.max(limit, d.start() - 20), d.start());
                    if (m.find()) {
                        number = m.group(1);
                    }
                }
                if (number == null) {
                    continue;
                }
                dated++;
                if (when == null || d.date().date().isAfter(when)) {
                    when = d.date().date();
                    newest = number;
                }
            }
            if (dated >= 2) {
                return newest;
            }
        }
        return null;
    }

    /** Words that make an MRI one already done: "réalisée", "faite", "done", "performed". */
    private static final Pattern DONE_WORDS = Pattern.compile("(?<![\\p{L}])(realisee|realise|faite|fait|effectuee"
            + "|effectue|done|performed|obtained)(?![\\p{L}])");
    /** Words that give the reason for this exam: "pour", "devant", "for", "because of". */
    private static final Pattern REASON_WORDS = Pattern.compile("(?<![\\p{L}])(pour|devant|dans le cadre|suite a"
            + "|apres|for|because|due to|after|demandee|demande|prescrite|prescrit|requested|ordered|planned|prevue"
            + "|prevu)(?![\\p{L}])");

    /** Between an MRI's name and its date, only words that describe that MRI, or a colon (a dash: a reason follows). */
    private static final Pattern MRI_OWN_WORDS = Pattern.compile("^[\\s:]*(?:(?:cerebrale?|encephalique|brain|cerebr"
            + "|medullaire|spine|spinal|cord|cervicale?|dorsale?|thoracique|thoracic|cervico-dorsale|cervico-thoracique"
            + "|moelle|rachis|panrachidienne|whole|entire|complete|de|du|la|le|l'|et|and|of|the|precedente|precedent"
            + "|derniere|dernier|anterieure|previous|prior|last|controle|control|reference|baseline|suivi|follow-up"
            + "|realisee|realise|faite|fait|effectuee|effectue|done|performed|obtained|was|a ete|avec|with|3d|flair"
            + "|protocole|protocol|ofsep|standardise|standardised|standardized|environ|about)[\\s:]*)*$");
    /** A result right after the date says the MRI was done: "il y a 2 ans, normale", "2 years ago, stable". */
    private static final Pattern RESULT_AFTER = Pattern.compile("^[\\s,:-]*(?:normale?|stable|sans particularite"
            + "|sans anomalie|sans lesion|sans nouvelle lesion|unremarkable|no new lesions?|no lesions?)(?![\\p{L}])");

    /**
     * A date written relative to now, starting at {@code to} and ending at {@code dateEnd}, dates the MRI whose
     * name ends at {@code from}: nothing but the MRI's own words between (its region, "dernière", "réalisée", "de
     * contrôle", a parenthesis), none of them a reason or a negation ("pour", "non réalisée", "annulée"), and the
     * MRI said to be a previous or a done one, or followed by its result ("il y a 2 ans, normale").
     */
    private static boolean relativeDatesThisMri(String f, int from, int to, int dateEnd, boolean previousMri) {
        if (!closeTo(f, from, to)) {
            return false;
        }
        String words = f.substring(from, to).replaceAll("\\([^()]*\\)", " ");
        if (!MRI_OWN_WORDS.matcher(words).matches() || REASON_WORDS.matcher(words).find()) {
            return false;
        }
        return previousMri || DONE_WORDS.matcher(words).find()
                || RESULT_AFTER.matcher(f.substring(dateEnd, Math.min(f.length(), dateEnd + 30))).find();
    }

    /**
     * The MRI's own words: at most 45 characters between, without a full stop or a semicolon, and a comma only inside
     * parentheses ("Dernière IRM : il y a 8 mois", "IRM (3D FLAIR, protocole OFSEP) il y a 8 mois", "IRM médullaire
     * cervico-dorsale réalisée il y a 4 ans").
     */
    private static boolean closeTo(String f, int from, int to) {
        if (to - from > 45) {
            return false;
        }
        int depth = 0;
        for (int i = from; i < to; i++) {
            char c = f.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth = Math.max(0, depth - 1);
            } else if (c == '.' || c == ';' || (c == ',' && depth == 0)) {
                return false;
            }
        }
        return true;
    }

    /** The end of the sentence at {@code from} (a full stop before a space, or a semicolon), at most {@code max}. */
    private static int sentenceEnd(String f, int from, int max) {
        for (int i = from; i < max; i++) {
            char c = f.charAt(i);
            if (c == ';' || (c == '.' && (i + 1 >= max || Character.isWhitespace(f.charAt(i + 1))))) {
                return i;
            }
        }
        return max;
    }

    private static boolean outside(List<TextDates.Found> dates, int pos) {
        return dates.stream().noneMatch(d -> d.start() <= pos && pos < d.end());
    }

    private static void egfr(String field, String f, List<Anchor> anchors, Anchor a, int ce, String quote, TextFacts out) {
        if (out.egfr != null) {
            return;
        }
        int segEnd = Math.min(segmentEnd(anchors, a, ce), a.end() + 50);
        Matcher m = EGFR_VALUE.matcher(f).region(a.end(), segEnd);
        if (!m.find()) {
            return;
        }
        String unit = m.group(3) == null ? "" : m.group(3).trim();
        if (!unit.isEmpty() && (unit.startsWith("umol") || unit.startsWith("mg") || unit.startsWith("mmol"))) {
            return; // a creatinine written after the word "clairance": not an eGFR
        }
        BigDecimal v = new BigDecimal(m.group(2).replace(',', '.'));
        String op = m.group(1);
        if ("<".equals(op) || "<=".equals(op)) {
            v = "<".equals(op) ? v.subtract(new BigDecimal("0.001")) : v;
        } else if (">".equals(op)) {
            v = v.add(new BigDecimal("0.001"));
        }
        String shown = (op == null || "~".equals(op) ? "" : op + " ") + m.group(2).replace(',', '.');
        out.egfr = new Evidence<>(v, new Fact("egfr", shown + " mL/min/1.73m2", field, quote), false);
        out.egfrAtMost = "<".equals(op) || "<=".equals(op);
    }

    /**
     * An eGFR the words bound without a number ("dialysé", "IRC stade 4"): below {@code bound} (compared as bound
     * minus 0.001), quoting the clause the words are in.
     */
    private static void statedBound(String field, String text, int at, String bound, String why, TextFacts out) {
        int cs = 0;
        int ce = text.length();
        for (int[] clause : Texts.clauses(text)) {
            if (clause[0] <= at && at < clause[1]) {
                cs = clause[0];
                ce = clause[1];
            }
        }
        out.egfr = new Evidence<>(new BigDecimal(bound).subtract(new BigDecimal("0.001")), new Fact("egfr",
                "< " + bound + " mL/min/1.73m2 (" + why + ")", field, Texts.quote(text, cs, ce)), false);
        out.egfrAtMost = true;
    }

    /** A patient on dialysis: end-stage renal disease, whatever eGFR is written (or none). */
    private static final Pattern DIALYSIS = Pattern.compile("(?<![\\p{L}])(?:(?:hemo|haemo)?dialy[sz]\\w*"
            + "|epuration extra-?renale|hd chronique)(?![\\p{L}])");
    /** Words before "dialyse" that deny it or put it in the past ("pas encore dialysé", "ancien dialysé"). */
    private static final Pattern NO_DIALYSIS = Pattern.compile("(?<![\\p{L}])(?:pas de|pas d'|sans|non|no|not on|never|"
            + "jamais|aucune?|pas encore|not yet|ancien|ancienne|anciennement|previously|previous|prior|former|ex|"
            + "antecedents? d[e']|history of|apres|after|avant|before)(?![\\p{L}])[^.;]{0,25}$");
    /** A kidney transplant: dialysis is history, and the graft's function is what counts. */
    private static final Pattern TRANSPLANT = Pattern.compile("(?<![\\p{L}])(?:greff\\w*|transplant\\w*)(?![\\p{L}])");

    /**
     * "Dialysé (hémodialyse 3x/sem)", "on haemodialysis": an eGFR below 15 (KDIGO stage 5), so Gd raises the renal
     * alert (a dialysed patient got Gd unflagged). Not when the text gives an eGFR anywhere, nor for a denial or a
     * past dialysis ("pas encore dialysé", "ancien dialysé", "after 3 years of haemodialysis"), nor after a kidney
     * transplant.
     */
    private static void dialysis(String field, String text, String f, TextFacts out) {
        if (out.egfr != null || TRANSPLANT.matcher(f).find()) {
            return;
        }
        Matcher m = DIALYSIS.matcher(f);
        while (m.find()) {
            String before = f.substring(Math.max(0, m.start() - 60), m.start());
            if (NO_DIALYSIS.matcher(before.substring(Math.max(0, before.length() - 40))).find()
                    || RELATIVE_BEFORE.matcher(before).find()) { // someone else's: "mother on dialysis"
                continue;
            }
            statedBound(field, text, m.start(), "15", "dialysis", out);
            return;
        }
    }

    /** A kidney disease named: insufficiency, failure, impairment, CKD (French and English, folded). */
    private static final String KIDNEY = "(?:insuffisance renale|insuffisant renal|insuffisante renale"
            + "|maladie renale chronique|irc|mrc|ckd(?![- ]?epi)|aki|renal (?:failure|insufficiency|impairment|disease)|kidney (?:failure|disease"
            + "|injury|impairment)|chronic kidney disease|acute kidney injury)";
    /** Its stage, when the words say it: 5 or end stage, 4 or severe, 3b, 3a or 3 or moderate. */
    private static final Pattern RENAL_FAILURE = Pattern.compile("(?<![\\p{L}])(?:(?<pre>end[- ]stage|severe|"
            + "moderate|moderee|terminale?)\\s+)?" + KIDNEY + "(?<mid>\\s+(?:chronique|chronic|aigue|acute|terminale?|"
            + "severe|moderee|avancee|advanced|end[- ]stage))*(?:\\s*[(,:]?\\s*(?:de\\s+)?(?:stade|stage|grade|g)\\s*"
            + "(?<stage>[1-5][ab]?))?(?![\\p{L}\\d])|(?<![\\p{L}])(?<esrd>esrd|esrf|irct|irt)(?![\\p{L}])");
    /** The form's own answer after it: "Insuffisance rénale : non". */
    private static final Pattern RENAL_NO_AFTER = Pattern.compile("\\s*[:=?]+\\s*(?:non|no|none|aucune?|neant|absente?"
            + "|neg|negati\\w*|0)\\s*(?:[.,;!)/\\n]|$)"); // the answer alone: "stade 4 : non dialysée" is a failure
    /** Recovered, in the same sentence: "insuffisance rénale aiguë en 2019, récupération complète". */
    private static final Pattern RENAL_PAST_AFTER = Pattern.compile("^[^.;]{0,60}?(?<![\\p{L}])(?<!sans |not |non |no "
            + "|without |pas de |aucune )(?:recuper\\w*|recovered|recovery|resolue?|resolved|guerie?|normalisee?|normalized"
            + "|normalised)(?![\\p{L}])");
    /** Words before it that deny it or put it in the past ("pas d'insuffisance rénale", "antécédent d'IRA"). */
    private static final Pattern NO_RENAL = Pattern.compile("(?<![\\p{L}])(?:pas de|pas d'|sans|no|not|aucune?|absence"
            + " d[e']|ni|antecedents? d[e']|history of|ancien(?:ne)?|previous|prior|former|resolved|guerie?)(?![\\p{L}])"
            + "[^.;,:]{0,15}$"); // "Pas de poussée, insuffisance rénale" denies the relapse only
    /** Someone else's, earlier in the sentence: "mother on dialysis for renal failure", "père insuffisant rénal". */
    private static final Pattern RELATIVE_BEFORE = Pattern.compile("(?<![\\p{L}])(?:mother|father|mere|pere|brother"
            + "|sister|frere|soeur|fils|fille|daughter|family|familial\\w*)(?![\\p{L}])[^.;,]{0,40}$"); // no comma between:
            // "Patiente mère de 3 enfants, hémodialysée" is hers

    /**
     * A renal failure stated without an eGFR ("Insuffisance rénale chronique sévère (stade 4)", "CKD stage 3b",
     * "IRC", "end-stage renal disease"): an eGFR bound by its stage (KDIGO: stage 5 or end stage below 15, stage 4
     * or severe below 30, 3b below 45, otherwise below 60), so Gd raises the renal alert. A renal failure stated with
     * no number got Gd unflagged. Not when an eGFR is written anywhere (it says more), nor for a denial or history.
     */
    private static void renalFailure(String field, String text, String f, TextFacts out) {
        if (out.egfr != null) {
            return;
        }
        Matcher m = RENAL_FAILURE.matcher(f);
        while (m.find()) {
            String before = f.substring(Math.max(0, m.start() - 80), m.start());
            if (NO_RENAL.matcher(before).find() || RELATIVE_BEFORE.matcher(before).find()) {
                continue;
            }
            String words = m.group();
            String stage = m.group("stage");
            if (stage != null && (stage.startsWith("1") || stage.startsWith("2") || stage.equals("3a"))) {
                continue; // stages 1 and 2: an eGFR of 60 or more; 3a: 45 or more
            }
            String rest = f.substring(m.end(), Math.min(f.length(), m.end() + 80));
            if (RENAL_NO_AFTER.matcher(rest).lookingAt() || RENAL_PAST_AFTER.matcher(rest).find()) {
                continue; // "Insuffisance rénale : non"; "IRA en 2019, récupération complète"
            }
            String bound;
            String why;
            if (m.group("esrd") != null || (stage != null && stage.startsWith("5")) || words.contains("terminal")
                    || words.contains("end stage") || words.contains("end-stage")) {
                bound = "15";
                why = "end-stage renal disease stated";
            } else if ((stage != null && stage.startsWith("4")) || words.contains("severe")) {
                bound = "30";
                why = "severe renal failure stated";
            } else if ("3b".equals(stage)) {
                bound = "45";
                why = "renal failure stage 3b stated";
            } else {
                bound = "60";
                why = "renal failure stated, stage not given";
            }
            statedBound(field, text, m.start(), bound, why, out);
            return;
        }
    }

    private void creatinine(String field, String f, List<Anchor> anchors, Anchor a, int ce, String quote, TextFacts out) {
        if (out.creatinineMgDl != null) {
            return;
        }
        int segEnd = Math.min(segmentEnd(anchors, a, ce), a.end() + 40);
        Matcher m = CREAT_VALUE.matcher(f).region(a.end(), segEnd);
        if (!m.find()) {
            return;
        }
        String number = m.group(1);
        String unit = m.group(2);
        BigDecimal raw = new BigDecimal(number.replace(',', '.'));
        BigDecimal mgDl = unit == null ? null : creatinineUnits.toMgDl(raw, unit.replace(" ", ""));
        if (mgDl == null) {
            out.notes.add("Creatinine " + number + (unit == null ? " without a unit" : " " + unit) + " in " + field
                    + " not used: " + (unit == null ? "no unit is written" : "the unit is not one the mapping knows")
                    + " (the gateway never guesses a unit).");
            return;
        }
        out.creatinineMgDl = new Evidence<>(mgDl, new Fact("creatinine", number.replace(',', '.') + " " + unit, field,
                quote), false);
    }
}
