import { describe, expect, it } from 'vitest';
import { MAX_RECORD_BYTES } from '@tandem/kafka';
import { classifyRecord } from '../src/classify';

const good = (subject = 'pt-1') =>
  JSON.stringify({ specversion: '1.0', id: 'e1', source: 's', type: 'patient.dying', subject, time: '2026-11-01T00:00:00Z', data: {} });
const b = (s: string) => Buffer.from(s);

describe('classifyRecord', () => {
  it.each([
    ['no value', null, null, 'invalid-json'],
    ['empty value', b('pt-1'), b(''), 'invalid-json'],
    ['over 1 MB', b('pt-1'), Buffer.alloc(MAX_RECORD_BYTES + 1, 0x20), 'too-large'],
    ['not JSON', b('pt-1'), b('{oops'), 'invalid-json'],
    ['not an envelope', b('pt-1'), b('{"hello":"world"}'), 'invalid-envelope'],
    ['unknown type', b('pt-1'), b(good().replace('patient.dying', 'patient.sneezed')), 'unknown-type'],
    ['invalid data', b('pt-1'), b(good().replace('"data":{}', '"data":{"x":1}').replace('patient.dying', 'palliative.contact')), 'invalid-data'],
    ['key for another patient', b('pt-2'), b(good('pt-1')), 'key-mismatch'],
  ])('parks %s as %s', (_name, key, value, error) => {
    const r = classifyRecord(key, value);
    expect(r).toMatchObject({ ok: false, error });
  });

  it.each([
    ['keyed by the patient', b('pt-1')],
    ['with no key', null],
  ])('accepts a valid event %s', (_name, key) => {
    expect(classifyRecord(key, b(good()))).toMatchObject({ ok: true, event: { id: 'e1', subject: 'pt-1' } });
  });

  it('never quotes the record in its detail', () => {
    const r = classifyRecord(b('pt-1'), b(good().replace('"data":{}', '"data":{"team":"Jo Bloggs secret"}').replace('patient.dying', 'palliative.contact')));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.detail).not.toContain('Jo Bloggs');
  });
});
