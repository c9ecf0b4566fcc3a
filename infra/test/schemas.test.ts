import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSchemas, SCHEMAS_DIR } from '../src/schemas';

describe('docs/schemas', () => {
  const files = generateSchemas();

  it('has one schema for the envelope and one per event type, matching the validators', () => {
    expect(Object.keys(files)).toContain('envelope.json');
    expect(Object.keys(files)).toContain('diagnosis.recorded.json');
    expect(Object.keys(files)).toHaveLength(19);
    for (const [name, text] of Object.entries(files)) expect(readFileSync(join(SCHEMAS_DIR, name), 'utf8'), `${name} is stale: npm run -s schemas`).toBe(text);
  });

  it('describes the rules integrators must follow', () => {
    const diagnosis = JSON.parse(files['diagnosis.recorded.json']!) as { required: string[]; properties: Record<string, { pattern?: string }> };
    expect(diagnosis.required).toEqual(expect.arrayContaining(['cancerType', 'advanced', 'diagnosedAt']));
    expect(new RegExp(diagnosis.properties.cancerType!.pattern!).test('C34.9')).toBe(true);
    expect(new RegExp(diagnosis.properties.cancerType!.pattern!).test('lung')).toBe(false);
  });
});
