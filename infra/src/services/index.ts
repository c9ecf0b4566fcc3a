export { startTemporal, stopTemporal, TEMPORAL } from './temporal';
export type { TemporalServerOptions } from './temporal';
