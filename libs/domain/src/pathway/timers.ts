/** Why a timer was scheduled: it comes back into `decide` as a `timer` input carrying this. */
export type TimerPurpose =
  | { kind: 'prom-due' }
  | { kind: 'prom-reminder'; requestId: string; step: number }
  | { kind: 'prom-not-returned'; requestId: string }
  | { kind: 'task-overdue'; taskCommandId: string; step: 'remind' | 'escalate' | 'on-call' }
  | { kind: 'time-based-referral'; step: 'propose' | 'escalate' }
  | { kind: 'referral-reoffer' }
  | { kind: 'acp-reoffer' }
  | { kind: 'acp-ready-reminder' }
  | { kind: 'acp-ready-escalation' }
  | { kind: 'closed-loop-follow-up'; reviewCommandId: string; items: string[] }
  | { kind: 'eol-symptom-check' }
  | { kind: 'bereavement-open'; caregiverId: string; task: 'bereavement-check-in' | 'grief-screening'; occurrence: number };

export type TimerKind = TimerPurpose['kind'];
