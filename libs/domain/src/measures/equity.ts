/** The equity splits of docs/contract.md section 7: attribute, keys and their names. */
/** The age split's threshold: age at the index date below it, or at or above it (docs/contract.md section 7). */
export const AGE_SPLIT_YEARS = 75;

/** docs/contract.md section 7 equity splits; operations measures have none. */
export const EQUITY_GROUPS = {
  age: ['<75', '>=75', 'unknown'],
  livesAlone: ['true', 'false', 'unknown'],
  rural: ['true', 'false', 'unknown'],
  interpreterNeeded: ['true', 'false', 'unknown'],
  deprivation: ['1', '2', '3', '4', '5', 'unknown'],
} as const;
export type EquityGroup = keyof typeof EQUITY_GROUPS;
export const EQUITY_GROUP_NAMES = Object.keys(EQUITY_GROUPS) as EquityGroup[];
export const EQUITY_LABELS: Record<EquityGroup, string> = {
  age: 'Age at the index date',
  livesAlone: 'Lives alone',
  rural: 'Lives rurally',
  interpreterNeeded: 'Needs an interpreter',
  deprivation: 'Deprivation quintile (1 most deprived)',
};
