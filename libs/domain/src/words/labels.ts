import type { CLINICAL_FLAGS} from '../events/data';
import { ESAS_ITEMS } from '../events/data';
import type { NotificationKind } from '../pathway/inputs';
import type { Level, Stage } from '../pathway/state';
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
  rules: RULE_CATALOGUE,
  instruments: { 'ESAS-r': [...ESAS_ITEMS], DT: ['distress'] },
} as const;
export type Vocabulary = typeof VOCABULARY;

export const ESAS_AND_DT_ITEMS = [...ESAS_ITEMS, 'distress'] as const;
