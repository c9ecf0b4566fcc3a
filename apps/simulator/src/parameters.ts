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
  /**
   * PROM completion by phase: 85% of requests answered early on, 70% in the last three months, 50%
   * in the last month (ESAS completion in Ontario's ISAAC programme, Barbera 2015: completion falls
   * as death nears; the 80–90% early). A request not answered is not answered at all.
   */
  promCompletion: { early: 0.85, lastThreeMonths: 0.7, lastMonth: 0.5 },
  /** How long after a request an answer comes (modelling choice: the same day, well within the policy's reminders). */
  promAnswerDelayHours: 3,
  /** A Distress Thermometer with every n-th ESAS-r (modelling choice: the policy asks for both at baseline). */
  distressEvery: 2,
  /**
   * ESAS-r: share of responses at 7–10 per item in palliative cohorts (Barbera 2010; Bubis 2018,
   * Ontario), and at 4–6 (moderate: about twice the severe share, modelling choice). In the last
   * month every share doubles, and rises by half that in the two months before (symptom burden
   * rises near death; Seow 2011). These are the shares before any review: a patient's first
   * answer, and where each item's trajectory returns to (apps/simulator/src/symptoms.ts); reviews
   * bring the answers after them down, as `symptoms` says.
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
  /**
   * How a symptom moves from one answer to the next (apps/simulator/src/symptoms.ts).
   * - `persistence`: a person's standing on an item is autocorrelated between consecutive answers,
   *   r ≈ 0.6–0.7 over 2–4 weeks (ESAS-r test–retest and month-to-month stability: Chang 2000,
   *   r 0.65–0.86 at 2 days; Seow 2011 trajectories, slow drift over months). Modelling choice: 0.7.
   * - `reviewed`: the share of severe scores a clinician acts on before the next answer (2.1's
   *   symptom review; modelling choice, in line with the timeliness the staff parameters give).
   * - `reviewRelief`, `relievedShare`: after a review, a severe item falls by 2–4 points in most
   *   patients (Yennurajalingam 2011: moderate-to-severe symptoms improve at follow-up after an
   *   outpatient palliative consultation in most patients; Hui 2015: an ESAS change of ≥ 1 point is
   *   the minimal clinically important one). Modelling choice: 70% relieved by 2–4 points; the
   *   relief fades with the same persistence.
   */
  symptoms: { persistence: 0.7, reviewed: 0.8, reviewRelief: [2, 4] as const, relievedShare: 0.7 },
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
  /**
   * ACP documented (some): advance care planning in advanced cancer, 30–50% overall (Lin 2019
   * review), more often among people seen by specialist palliative care, where ACP mostly happens
   * (Ziegler 2018). Modelling choice: 65% of those seen, 23% of the others (overall ~45%), about a
   * month after the first specialist contact, or at a random point of the illness for the others.
   */
  acp: { whenSeen: 0.65, whenNotSeen: 0.23, daysAfterContact: { median: 30, spread: 0.8 }, dnacpr: 0.7, surrogate: 0.5 },
  /**
   * Preferred place of death, when recorded: home for most (Gomes 2013 systematic review: 56–74%
   * prefer home), then hospice. Modelling choice: home 0.7, hospice 0.15, care home 0.08, hospital
   * 0.07. Concordance: published shares of deaths in the preferred place vary widely (30–90%);
   * modelling choice 65%. Otherwise the place is drawn from `placeOfDeath`.
   */
  preferredPlace: { home: 0.7, hospice: 0.15, 'care-home': 0.08, hospital: 0.07 },
  concordantWhenRecorded: 0.65,
  /**
   * Specialist palliative care, from the advanced diagnosis (apps/simulator/src/care.ts).
   * - `earlyReferral`: referred within the first weeks (needs-based, at diagnosis): a minority in
   *   usual care, where referral comes months after the advanced diagnosis (Hui 2014). Modelling
   *   choice: 15%, at 1–8 weeks after diagnosis.
   * - `lateReferral`: of the rest, referred late in the illness. About 70% of people who die of
   *   cancer in England are seen by specialist palliative care (Ziegler 2018), with a median of
   *   about 7 weeks of it before death (Allsop 2018: 48 days). Modelling choice: 70% of the rest, a
   *   median 50 days before death.
   * - `contactDays`: referral to first contact, log-normal (median 7 days; ~10% wait over 3
   *   weeks: NHS specialist palliative care waiting times, modelling choice). A contact that would
   *   fall after the death never happens: the person referred too late is never seen.
   * - `communityEveryDays`: after the first contact, community palliative visits (every 2 weeks,
   *   weekly in the last month; modelling choice).
   */
  specialist: {
    earlyReferral: 0.15,
    earlyReferralWeeks: [1, 8] as const,
    lateReferral: 0.7,
    lateReferralDaysBeforeDeath: { median: 50, spread: 0.8 },
    contactDays: { median: 7, spread: 0.6 },
    communityEveryDays: { early: 14, lastMonth: 7 },
  },
  /** A family caregiver registered (most: ~80% of people dying of cancer have an informal carer; Marie Curie 2021). */
  caregiverRegistered: 0.8,
  /**
   * Caregiver assessment (2.7) and the bereavement contact after a death (2.9): what the team
   * manages, as the staff's own delays and capacity make it (apps/simulator/src/staff.ts). The
   * world's side: a few caregivers cannot be reached for an assessment (modelling choice: 10%).
   */
  caregiverUnreachable: 0.1,
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
   * Simulated staff (apps/simulator/src/staff.ts): how many people work each role's queues and
   * how many tasks a day each completes (modelling choice for a service of a few hundred
   * patients), and how long after a task opens it is done, as a share of
   * the time it was given (due − opened): most on time, some late, a few very late; and how often an
   * offer is declined. A queue over capacity builds a backlog that clears when the load falls.
   */
  staff: {
    onTime: 0.75,
    late: 0.2,
    veryLate: 0.05,
    declined: 0.15,
    pollSeconds: 2,
    team: {
      coordinator: { people: 2, tasksPerDay: 25 },
      clinician: { people: 3, tasksPerDay: 12 },
      specialist: { people: 2, tasksPerDay: 8 },
    },
  },
} as const;

export type CohortParameters = typeof COHORT_PARAMETERS;
export type CancerParameters = CohortParameters['cancers'][number];
