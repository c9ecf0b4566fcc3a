import type { CLINICAL_FLAGS } from '../events/data';
import { ESAS_ITEMS } from '../events/data';
import type { ClinicalEventType } from '../events/data';
import type { NotificationKind, RecipientRole } from '../pathway/inputs';
import type { ConsentDecision, Level, PathwayState, Stage } from '../pathway/state';
import { RULE_CATALOGUE } from '../rules/catalogue';
import type { Priority, Queue, TaskStatus, TaskType } from '../tasks/vocabulary';

/**
 * The words people read for the pathway's codes, in one place: the console (through
 * `GET /api/v1/vocabulary`), task summaries and the notifier's e-mails use these. A code without a
 * word fails the compiler (every map is total over its vocabulary).
 */
export const TASK_LABELS: Record<TaskType, string> = {
  'assign-key-worker': 'Assign a key worker',
  'baseline-assessment': 'Baseline assessment',
  'psychosocial-assessment': 'Psychosocial assessment',
  'explain-palliative-care': 'Explain palliative care and the 24/7 number',
  'acp-conversation': 'Advance care planning conversation',
  'prom-not-returned': 'Questionnaire not returned: call the patient',
  'symptom-review': 'Symptom review',
  'specialist-referral-proposal': 'Propose referral to specialist palliative care',
  'specialist-referral-triage': 'Triage a specialist palliative care referral',
  'hospice-referral-discussion': 'Discuss hospice referral',
  'mdt-review': 'MDT review',
  'discharge-follow-up': 'Follow up after discharge',
  'caregiver-assessment': 'Caregiver assessment',
  'eol-care-plan': 'End-of-life care plan',
  'bereavement-contact': 'Bereavement contact',
  'bereavement-check-in': 'Bereavement check-in',
  'grief-screening': 'Grief screening',
  escalation: 'Escalation: overdue task',
};

export const QUEUE_LABELS: Record<Queue, string> = {
  coordination: 'Care coordination',
  oncology: 'Oncology',
  psychosocial: 'Psychosocial',
  'specialist-palliative': 'Specialist palliative care',
  'community-nursing': 'Community nursing',
  bereavement: 'Bereavement',
  escalations: 'Escalations (service lead)',
  'on-call': 'On call (24/7)',
};

export const PRIORITY_LABELS: Record<Priority, string> = { urgent: 'Urgent', soon: 'Soon', routine: 'Routine' };

export const STATUS_LABELS: Record<TaskStatus, string> = { open: 'Open', claimed: 'Claimed', done: 'Done', cancelled: 'Cancelled' };

/** What a person records when completing a task, and what the pathway records when it closes one. */
export const OUTCOME_LABELS: Record<string, string> = {
  done: 'Done',
  assigned: 'Key worker assigned',
  agreed: 'Agreed to referral',
  declined: 'Declined',
  seen: 'Seen by the specialist team',
  ready: 'Ready to plan ahead',
  'not-ready': 'Not ready yet',
  documented: 'Plan documented',
  'high-distress': 'High caregiver distress',
  'patient-died': 'Closed: the patient died',
  'proms-declined': 'Closed: questionnaires declined',
  'referral-declined': 'Closed: referral declined',
  'specialist-contact-made': 'Closed: specialist contact made',
  'superseded-by-a-reading-closer-to-the-dose': 'Closed: a reading closer to the dose was within the safeguards',
  'acp-documented': 'Closed: advance care plan documented',
  'escalated-task-closed': 'Closed: the overdue task was closed',
  'family-identified': 'Closed: family identified',
  'prom-returned': 'Closed: questionnaire returned',
};

export const STAGE_LABELS: Record<Stage, string> = {
  none: 'Not enrolled',
  enrolled: 'Enrolled',
  'concurrent-care': 'Concurrent care',
  'specialist-involvement': 'Specialist palliative care involved',
  'end-of-life': 'End of life',
  bereavement: 'Bereavement follow-up',
  closed: 'Pathway closed',
};

export const LEVEL_LABELS: Record<Level, string> = {
  primary: 'Primary palliative care',
  secondary: 'Secondary (oncology-led) palliative care',
  tertiary: 'Specialist (tertiary) palliative care',
};

export const NOTIFICATION_LABELS: Record<NotificationKind, string> = {
  'prom-request': 'Questionnaire sent to the patient',
  'prom-reminder': 'Questionnaire reminder to the patient',
  'clinician-reminder': 'Reminder',
  escalation: 'Escalation',
  'gp-update': 'Update to the GP',
  'caregiver-information': 'Information for a caregiver',
};

/** ESAS-r items and the Distress Thermometer, as the instruments word them. */
export const ITEM_LABELS: Record<(typeof ESAS_ITEMS)[number] | 'distress', string> = {
  pain: 'Pain',
  tiredness: 'Tiredness',
  drowsiness: 'Drowsiness',
  nausea: 'Nausea',
  appetite: 'Lack of appetite',
  breathlessness: 'Shortness of breath',
  depression: 'Depression',
  anxiety: 'Anxiety',
  wellbeing: 'Wellbeing',
  distress: 'Distress (Distress Thermometer)',
};

export const FLAG_LABELS: Record<(typeof CLINICAL_FLAGS)[number], string> = {
  delirium: 'Delirium',
  'brain-metastases': 'Brain metastases',
  'leptomeningeal-metastases': 'Leptomeningeal metastases',
  'spinal-cord-compression': 'Spinal cord compression',
  'cauda-equina-compression': 'Cauda equina compression',
  'hastened-death-request': 'Request for hastened death',
  'existential-crisis': 'Spiritual or existential crisis',
  'decision-support-needed': 'Needs help with decisions',
  'patient-request': 'Patient asked for specialist care',
};

export const EVENT_LABELS: Record<ClinicalEventType, string> = {
  'patient.registered': 'Registered',
  'diagnosis.recorded': 'Diagnosis recorded',
  'treatment.started': 'Treatment started',
  'disease.progressed': 'Disease progressed',
  'sact.administered': 'Anti-cancer treatment (SACT) given',
  'performance.recorded': 'Performance status (ECOG) recorded',
  'prognosis.estimated': 'Prognosis estimated',
  'clinical.flag': 'Clinical flag raised',
  'prom.submitted': 'Questionnaire answered',
  'encounter.admitted': 'Admitted',
  'encounter.discharged': 'Discharged',
  'palliative.contact': 'Palliative care contact',
  'acp.documented': 'Advance care plan documented',
  'caregiver.registered': 'Caregiver registered',
  'consent.changed': 'Consent changed',
  'patient.dying': 'Dying recognised',
  'patient.died': 'Died',
  'patient.transferred': 'Transferred to another organisation',
};

/** Facts the pathway records (the measures count them); a name without a word here is shown as it is. */
export const FACT_LABELS: Record<string, string> = {
  'advanced-diagnosis': 'Advanced diagnosis recorded',
  equity: 'Equity details recorded',
  death: 'Death recorded',
  'prom-requested': 'Questionnaire requested',
  'prom-answered': 'Questionnaire answer received',
  'severe-score': 'Severe score recorded',
  'follow-up-scores': 'Follow-up scores compared',
  'referral-sent': 'Referral sent to specialist palliative care',
  'referral-declined': 'Referral declined',
  'first-specialist-contact': 'First specialist palliative care contact',
  'acp-conversation': 'Advance care planning conversation held',
  'acp-documented': 'Advance care plan documented',
  'caregiver-consent-to-share': 'Caregiver consent to share recorded',
  'time-based-referral-stopped': 'Time-based referral clock stopped',
};

export const REFERRAL_LABELS: Record<PathwayState['referral']['status'], string> = {
  none: 'Not referred',
  proposed: 'Referral proposed',
  declined: 'Referral declined',
  sent: 'Referral sent',
  seen: 'Seen by the specialist team',
};

export const ACP_LABELS: Record<PathwayState['acp']['status'], string> = {
  'not-started': 'Not started',
  offered: 'Offered',
  ready: 'Ready to plan ahead',
  'not-ready': 'Not ready yet',
  declined: 'Declined',
  documented: 'Documented',
};

export const CONSENT_LABELS: Record<ConsentDecision, string> = { granted: 'Agreed', declined: 'Declined', withdrawn: 'Withdrawn' };

export const RECIPIENT_LABELS: Record<RecipientRole, string> = {
  patient: 'the patient',
  caregiver: 'a caregiver',
  gp: 'the GP',
  'key-worker': 'the key worker',
  queue: 'a queue',
  team: 'a team',
};

export const DELIVERY_LABELS = {
  pending: 'Waiting to be sent',
  sending: 'Being sent',
  delivered: 'Delivered',
  parked: 'Could not be delivered',
  dropped: 'Not sent',
  email: 'e-mail',
  sms: 'text message',
  'in-app': 'console',
} as const;

/** Everything above, as the console receives it. */
export const VOCABULARY = {
  tasks: TASK_LABELS,
  queues: QUEUE_LABELS,
  priorities: PRIORITY_LABELS,
  statuses: STATUS_LABELS,
  outcomes: OUTCOME_LABELS,
  stages: STAGE_LABELS,
  levels: LEVEL_LABELS,
  notifications: NOTIFICATION_LABELS,
  items: ITEM_LABELS,
  flags: FLAG_LABELS,
  events: EVENT_LABELS,
  facts: FACT_LABELS,
  referral: REFERRAL_LABELS,
  acp: ACP_LABELS,
  consent: CONSENT_LABELS,
  recipients: RECIPIENT_LABELS,
  delivery: DELIVERY_LABELS,
  rules: RULE_CATALOGUE,
  instruments: { 'ESAS-r': [...ESAS_ITEMS], DT: ['distress'] },
} as const;
export type Vocabulary = typeof VOCABULARY;

export const ESAS_AND_DT_ITEMS = [...ESAS_ITEMS, 'distress'] as const;
