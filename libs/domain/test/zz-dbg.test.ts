import { it } from 'vitest';
import type { ClinicalEvent } from '../src';
import { openTasks } from '../src';
import { DAY, event, HOUR, Journey, T0 } from './support';
const at = (h: number) => T0 + h * HOUR;
let n = 0;
const E = (type: string, data: Record<string, unknown>, h: number) => event(type, data, at(h), `x-${++n}`);
const z = { pain: 0, tiredness: 0, depression: 0 };
const events: ClinicalEvent[] = [
  E('clinical.flag', { flag: 'delirium' }, 2),
  E('prom.submitted', { instrument: 'ESAS-r', responseId: 'a', scores: z }, -3),
  E('sact.administered', {}, 0),
  E('diagnosis.recorded', { cancerType: 'C25.0', advanced: true, diagnosedAt: '2026-11-02' }, 4),
  E('sact.administered', {}, 1322),
  E('performance.recorded', { ecog: 3 }, 1),
  E('performance.recorded', { ecog: 0 }, 30),
  E('patient.dying', {}, -779),
];
const result = (seq: ClinicalEvent[]) => {
  const j = new Journey();
  j.now = T0 + 61 * DAY;
  for (const e of seq) j.send(e);
  return {
    stage: j.state.stage,
    open: openTasks(j.state)
      .map((t) => `${t.type}/${t.subject} ${t.reason.rule}`)
      .sort(),
  };
};
it('dbg', () => {
  const byTime = [...events].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  console.log('ARRIVAL', JSON.stringify(result(events), null, 1));
  console.log('TIME', JSON.stringify(result(byTime), null, 1));
});
