// @ts-check
// How the dashboard words a measure: units, intervals, targets and the verdict against a target.
// Family and split names come with the report (`families`, `groups`), from the measure catalogue.
/** @typedef {{ value: number | null; numerator?: number | null; denominator?: number | null; ci?: [number, number] | null; suppressed?: true }} Figure */
/** @typedef {{ unit: string; target?: { op: string; value: number }; meetsTarget?: boolean | null } & Figure} MeasureLike */

/** @type {Record<string, string>} */
const KEY_WORDS = { true: 'yes', false: 'no', unknown: 'not recorded', '<75': 'under 75', '>=75': '75 or over' };
/** @param {string} group @param {string} key */
export const keyLabel = (group, key) => (group === 'deprivation' && key !== 'unknown' ? `quintile ${key}` : (KEY_WORDS[key] ?? key));

/**
 * A figure's value in the measure's unit: `m` the measure, `f` the figure (the measure itself, a group, a month).
 * @param {MeasureLike} m @param {Figure} [f]
 */
export function valueText(m, f = m) {
  const value = f.value;
  if (value === null || value === undefined) return f.suppressed ? 'hidden (small numbers)' : 'no data';
  const n = Number(value).toFixed(m.unit === 'count' ? 0 : 1);
  /** @type {Record<string, string>} */
  const byUnit = { percent: `${n}%`, days: `${n} days`, points: `${value > 0 ? '+' : ''}${n} points`, count: n, seconds: `${n} s` };
  return byUnit[m.unit] ?? n;
}

/** @param {Partial<Figure>} f */
export const fraction = (f) =>
  f.numerator !== undefined ? `${f.numerator ?? '—'} of ${f.denominator ?? '—'}` : f.denominator !== undefined ? `${f.denominator ?? '—'} counted` : '';
/** @param {Partial<Figure>} f */
export const interval = (f) => (f.ci ? `${f.ci[0]}–${f.ci[1]}%` : '');
/** @param {MeasureLike} m */
export const targetText = (m) => (m.target ? `${m.target.op === '<' ? 'below' : 'at least'} ${m.target.value}%` : 'no target');

/** Whether a measure meets its target, in words and a class for the colour (the words carry it, not the colour). @param {Omit<MeasureLike, 'value'>} m */
export function verdict(m) {
  if (!m.target) return { text: '—', cls: '' };
  if (m.meetsTarget === null || m.meetsTarget === undefined) return { text: 'not known', cls: 'muted' };
  return m.meetsTarget ? { text: 'meets target', cls: 'meets' } : { text: 'misses target', cls: 'misses' };
}

/** A table on screen as CSV rows (what the person sees, cell by cell). @param {HTMLTableElement} table */
export function tableCsv(table) {
  const cell = (/** @type {HTMLTableCellElement} */ c) => `"${(c.textContent ?? '').trim().replace(/\s+/g, ' ').replace(/"/g, '""')}"`;
  return [...table.rows].map((r) => [...r.cells].map(cell).join(',')).join('\r\n');
}
