/**
 * Every figure the simulator draws from, with its source. Figures are for people with advanced
 * (metastatic or incurable) cancer followed from that diagnosis, in an English cancer network.
 * Where a figure is a modelling choice rather than a published value it says so. Change a number
 * here and the same seed gives a different, equally reproducible cohort.
 */
export const COHORT_PARAMETERS = {
  /**
   * Case mix and survival from the advanced diagnosis. Shares: CRUK, cancer mortality by site, UK
   * 2017–2019 (lung 21%, bowel 10%, pancreas 6%, breast 7%, prostate 7%, oesophagus + stomach 8%),
   * renormalised over these six sites. Medians with current therapy: metastatic NSCLC 9–12 months
   * (Howlader, NEJM 2020; SEER); metastatic colorectal 12–15 months population-based (SEER; trial
   * medians reach ~30); metastatic pancreatic 3–6 (SEER, population-based); metastatic breast ~30
   * (SEER, all subtypes); metastatic prostate ~36 (STAMPEDE arms); oesophagogastric ~8 (SEER).
   */
  cancers: [
    { site: 'lung', icd10: 'C34.9', share: 0.36, medianSurvivalMonths: 10 },
    { site: 'colorectal', icd10: 'C18.9', share: 0.17, medianSurvivalMonths: 14 },
    { site: 'pancreatic', icd10: 'C25.9', share: 0.1, medianSurvivalMonths: 4 },
    { site: 'breast', icd10: 'C50.9', share: 0.12, medianSurvivalMonths: 30 },
    { site: 'prostate', icd10: 'C61', share: 0.12, medianSurvivalMonths: 36 },
    { site: 'oesophagogastric', icd10: 'C16.9', share: 0.13, medianSurvivalMonths: 8 },
  ],
  /** Spread of survival around a site's median: log-normal, sigma of ln(months) (modelling choice; gives a 1-year survival near SEER's for NSCLC). */
  survivalSpread: 0.8,
  /** Share of patients whose clinician records a prognosis estimate at diagnosis (modelling choice). */
  prognosisRecorded: 0.5,
  /** Systemic anticancer therapy: share starting palliative first-line (NCRAS, ~65–75% of stage IV lung/bowel), and share of those who progress to a further line (modelling choice from SEER treatment patterns). */
  therapy: { firstLine: 0.7, furtherLine: 0.45, weeksToFirstLine: [2, 5] as const },
  /**
   * SACT in the last weeks of life: share of deaths with SACT in the last 14 days (NCRAS/PHE "SACT
   * in the last 30 days of life": 8–10% within 30 days; about half of those in the last 14).
   */
  sactLast14Days: 0.05,
  /** ECOG at the advanced diagnosis (share at 0, 1, 2, 3), from palliative-chemotherapy cohorts (modelling choice); it rises to 3–4 in the last two months. */
  ecogAtDiagnosis: [0.2, 0.5, 0.25, 0.05] as const,
  ecogEveryWeeks: 6,
  /** PROM completion: 85% of requests answered early on, falling to 50% in the last month (ESAS completion in Ontario's ISAAC programme; the 80–90% early). */
  promCompletion: { early: 0.85, lastMonth: 0.5 },
  /** A Distress Thermometer with every n-th ESAS-r (modelling choice: the policy asks for both at baseline). */
  distressEvery: 2,
  /**
   * ESAS-r: share of responses at 7–10 per item in palliative cohorts (Barbera 2010; Bubis 2018,
   * Ontario), and at 4–6 (moderate: about twice the severe share, modelling choice). In the last
   * month every share doubles (symptom burden rises near death; Seow 2011).
   */
  esasSevere: {
    tiredness: 0.27,
    wellbeing: 0.17,
    drowsiness: 0.16,
    depression: 0.13,
    anxiety: 0.11,
    pain: 0.08,
    appetite: 0.08,
    breathlessness: 0.08,
    nausea: 0.04,
  },
  esasModerateFactor: 2,
  lastMonthFactor: 2,
  /** Distress Thermometer ≥ 4 (the NCCN cut-off) in about 45% of responses (Ma 2014 meta-analysis). */
  distressAtLeast4: 0.45,
  /**
   * Unplanned hospital use, per month alive: ED visits and emergency admissions. Rise towards death
   * (Rosenwax 2011; Earle 2004 indicators in England ~ 10–20% with >1 in the last 30 days).
   */
  unplannedPerMonth: { early: 0.08, lastThreeMonths: 0.35, lastMonth: 0.7 },
  /** Of unplanned encounters: the share that are ED only (not admitted) (NHS Digital HES: ~ 40% of ED attendances end in admission for cancer). */
  edOnlyShare: 0.45,
  /** ICU admission in the last 30 days (Earle indicator: <4%; English cohorts 2–4%). */
  icuLast30Days: 0.03,
  /** Dying recognised and recorded before death, and how many days before (NACEL 2022: recognised in ~88% of expected deaths; median 2–4 days). */
  dyingRecognised: 0.8,
  dyingRecognisedDaysBefore: [1, 10] as const,
  /** Place of death, England (ONS/OHID Palliative and End of Life Care Profiles, cancer deaths 2019). */
  placeOfDeath: { hospital: 0.43, home: 0.29, 'care-home': 0.2, hospice: 0.05, other: 0.03 },
  /** ACP documented (some): advance care planning in advanced cancer, 30–50% (Lin 2019 review). */
  acpDocumented: 0.4,
  acpDnacpr: 0.7,
  /** A family caregiver registered (most: ~80% of people dying of cancer have an informal carer; Marie Curie 2021). */
  caregiverRegistered: 0.8,
  /** Declines PROMs after a while (modelling choice: a few). */
  declinesProms: 0.03,
  /**
   * Equity attributes. Age: mean 72, SD 11 at the advanced diagnosis (about 40% aged ≥ 75, CRUK
   * deaths by age). Lives alone 28% (ONS 2021, people ≥ 65). Rural 17% (Defra rural population).
   * Deprivation quintiles: slightly more in the most deprived (CRUK incidence by IMD). Interpreter
   * needed 2% (Census 2021: 1.5% cannot speak English well); of those, the language (modelling choice).
   */
  age: { mean: 72, sd: 11, min: 25, max: 99 },
  livesAlone: 0.28,
  rural: 0.17,
  deprivationQuintile: [0.23, 0.21, 0.2, 0.19, 0.17] as const,
  interpreterNeeded: 0.02,
  otherLanguages: ['es', 'pl', 'pa', 'ur'] as const,
  /** Patients with an e-mail address on record (they get PROM links by e-mail) (modelling choice). */
  emailOnRecord: 0.6,
  /**
   * Simulated staff: how long after a task opens it is done, as a share of the time it was given
   * (due − opened): most on time, some late, a few very late (modelling choice, so the timeliness
   * measures come out neither perfect nor empty); and how often an offer is declined.
   */
  staff: { onTime: 0.75, late: 0.2, veryLate: 0.05, declined: 0.15, pollSeconds: 2 },
} as const;

export type CohortParameters = typeof COHORT_PARAMETERS;
export type CancerParameters = CohortParameters['cancers'][number];
