import { describe, expect, it } from 'vitest';
import { ESAS_ITEMS } from '@tandem/domain';
import { CATALOGUES, chooseLanguage, fill, LANGUAGES } from '../index';

/** Every key path of a catalogue, with the `{placeholders}` its text uses. */
function keys(x: unknown, prefix = ''): Array<[string, string[]]> {
  if (typeof x === 'string') return [[prefix, [...x.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort()]];
  return Object.entries(x as Record<string, unknown>).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe('the PROM page catalogues', () => {
  it.each(LANGUAGES.filter((l) => l !== 'en'))('%s has every text English has, with the same placeholders', (lang) => {
    const paths = (c: unknown) => keys(c).filter(([p]) => p !== 'lang' && p !== 'name');
    expect(paths(CATALOGUES[lang])).toEqual(paths(CATALOGUES.en));
    expect(CATALOGUES[lang].lang).toBe(lang);
  });

  it('word every ESAS-r item and the Distress Thermometer with both anchors', () => {
    for (const lang of LANGUAGES) {
      const items = CATALOGUES[lang].instruments['ESAS-r'].items;
      expect(Object.keys(items).sort()).toEqual([...ESAS_ITEMS].sort());
      for (const w of [...Object.values(items), CATALOGUES[lang].instruments.DT.items.distress]) {
        expect(w.low.length).toBeGreaterThan(2);
        expect(w.high.length).toBeGreaterThan(2);
      }
    }
  });
});

describe('chooseLanguage', () => {
  it.each([
    ['es', 'es'],
    ['es-ES', 'es'],
    ['ES_mx', 'es'],
    ['Spanish', 'es'],
    ['español', 'es'],
    ['spa', 'es'],
    ['en-GB', 'en'],
    ['pl', 'en'],
    ['', 'en'],
    [undefined, 'en'],
  ])('%s → %s', (preferred, lang) => expect(chooseLanguage(preferred)).toBe(lang));
});

describe('fill', () => {
  it('fills known placeholders and leaves unknown ones showing', () => {
    expect(fill('call {onCallNumber} or {other}', { onCallNumber: '0300 123 4567' })).toBe('call 0300 123 4567 or {other}');
  });
});
