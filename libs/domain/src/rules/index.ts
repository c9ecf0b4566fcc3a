import { advanceCarePlanning } from './acp';
import { caregivers } from './caregivers';
import { consentAndExits } from './consent';
import type { Rule } from './context';
import { death, endOfLife } from './end-of-life';
import { enrolment } from './enrolment';
import { escalationLadder } from './escalation';
import { measureFacts } from './facts';
import { promSchedule } from './proms';
import { referral } from './referral';
import { safeguards } from './safeguards';
import { closedLoop, symptomTriggers } from './symptoms';
import { transitions } from './transitions';

/**
 * Every rule group, in the order they see an input. Exits and death run first so that nothing after
 * them contacts a patient who has died or left; the escalation ladder runs last, over the tasks the
 * others opened and closed.
 */
export const RULES: readonly Rule[] = [
  consentAndExits,
  measureFacts,
  death,
  enrolment,
  promSchedule,
  closedLoop,
  symptomTriggers,
  referral,
  advanceCarePlanning,
  safeguards,
  transitions,
  caregivers,
  endOfLife,
  escalationLadder,
];

export { afterClosure } from './closure';
export { Decision } from './context';
export type { Rule } from './context';
export { band, findings, INSTRUMENTS } from './scoring';
export type { Finding, Trigger } from './scoring';
export { RULE_CATALOGUE, RULE_IDS } from './catalogue';
export type { RuleId } from './catalogue';
