import type { CareNotification, PathwayPolicy } from '@tandem/domain';
import { carriesPromLink, NOTIFICATION_LABELS, RULE_CATALOGUE } from '@tandem/domain';
import type { Language } from '@tandem/prom-page';
import { CATALOGUES, fill } from '@tandem/prom-page';

export interface MessageText {
  subject: string;
  text: string;
}

/**
 * What a notification says when delivered. To a patient: their questionnaire link in their language,
 * with how to get help now, and nothing about their care in the message itself. To staff: what
 * happened, for which patient, by which rule, and where to act.
 */
export function compose(n: CareNotification, o: { language: Language; policy: PathwayPolicy; publicUrl: string }): MessageText {
  const words = CATALOGUES[o.language];
  const help = fill(words.message.help, { onCallNumber: o.policy.patientContact.onCallNumber, emergencyNumber: o.policy.patientContact.emergencyNumber });
  if (n.recipient.role === 'patient' && carriesPromLink(n.kind) && n.link) {
    const m = words.message[n.kind as 'prom-request' | 'prom-reminder'];
    return { subject: m.subject, text: `${m.body}\n\n${n.link}\n\n${help}\n` };
  }
  if (n.recipient.role === 'patient' || n.recipient.role === 'caregiver') {
    return { subject: words.message.fromCareTeam, text: `${n.text}\n\n${help}\n` };
  }
  const rule = (RULE_CATALOGUE as Record<string, string>)[n.reason.rule] ?? n.reason.rule;
  const where = n.taskId ? `${o.publicUrl}/#/tasks/${n.taskId}` : `${o.publicUrl}/#/reminders`;
  return {
    subject: `Tandem: ${NOTIFICATION_LABELS[n.kind]} — ${n.text.slice(0, 90)}`,
    text: [n.text, '', `Patient: ${n.patientId}`, `Why: ${rule} (${n.reason.rule})`, '', `Open in Tandem: ${where}`, ''].join('\n'),
  };
}
