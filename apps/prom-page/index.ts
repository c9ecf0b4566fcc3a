import { join } from 'node:path';
import en from './locales/en.json';
import es from './locales/es.json';

/** The PROM page is static files; the API serves this folder at /p-assets/ and the page itself at /p/<token>. */
export const promPageDir = join(__dirname, 'public');
export const promPageHtml = join(promPageDir, 'prom.html');
export const localesDir = join(__dirname, 'locales');

/** One catalogue of words per language; English is the shape every other one must have (a test checks the keys). */
export type Catalogue = typeof en;
export const CATALOGUES = { en, es } as const satisfies Record<string, Catalogue>;
export type Language = keyof typeof CATALOGUES;
export const LANGUAGES = Object.keys(CATALOGUES) as Language[];

const isLanguage = (x: string): x is Language => (LANGUAGES as string[]).includes(x);

/** Names and codes a registration may carry (`preferredLanguage` is free text: a tag, an ISO 639-2 code or a name). */
const ALIASES: Record<string, Language> = { english: 'en', eng: 'en', spanish: 'es', spa: 'es', español: 'es', espanol: 'es', castellano: 'es' };

/** The page's language: the patient's preferred one when there is a catalogue for it, else English. */
export function chooseLanguage(preferred: string | undefined): Language {
  const p = (preferred ?? '').trim().toLowerCase();
  const base = p.split(/[-_]/)[0] ?? '';
  if (isLanguage(base)) return base;
  return ALIASES[p] ?? 'en';
}

/** Fills `{name}` placeholders; an unknown one is left as it is, so a missing value shows. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}
