import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLINICAL_EVENT_TYPES, taskTypesTable } from '@tandem/domain';
import { queuesByRoleTable } from '../src/auth/queue-access';

/**
 * docs/contract.md shows the event types, the task types with their queues and outcomes, and the
 * queues each role works exactly as the code has them: the tables between its markers are the code's
 * own, so the document is never a second copy that can drift.
 */
const DOC = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'contract.md'), 'utf8');
const between = (marker: string) => new RegExp(`<!-- ${marker} -->\\n([\\s\\S]*?)\\n<!-- /${marker} -->`).exec(DOC)?.[1];

describe('docs/contract.md', () => {
  it('lists every clinical event type with its generated schema', () => {
    const table = ['| type | schema of its `data` |', '|---|---|', ...CLINICAL_EVENT_TYPES.map((t) => `| \`${t}\` | [schemas/${t}.json](schemas/${t}.json) |`)];
    expect(between('eventTypes')).toBe(table.join('\n'));
  });

  it('shows the task types, their default queues and outcomes as the domain has them', () => {
    expect(between('taskTypes')).toBe(taskTypesTable());
  });

  it('shows the queues each role works as the API enforces them', () => {
    expect(between('queuesByRole')).toBe(queuesByRoleTable());
    expect(queuesByRoleTable()).toContain('| `clinician` | `oncology`, `on-call`, `psychosocial` |');
  });
});
