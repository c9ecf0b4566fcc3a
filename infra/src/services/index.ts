export { startTemporal, stopTemporal, TEMPORAL } from './temporal';
export type { TemporalServerOptions } from './temporal';
export { startPostgres, stopPostgres } from './postgres';
export { KAFKA, startKafka, stopKafka } from './kafka';
