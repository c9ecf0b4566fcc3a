/** Nest injection tokens for the process-wide resources the API is built from. */
export const CONFIG = Symbol('CONFIG');
export const PG_POOL = Symbol('PG_POOL');
export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');
export const LOGGER = Symbol('LOGGER');
export const KAFKA_PRODUCER = Symbol('KAFKA_PRODUCER');
export const EVENTS_TOPIC = Symbol('EVENTS_TOPIC');
export const KAFKA_ADMIN = Symbol('KAFKA_ADMIN');
export const METRICS = Symbol('METRICS');
export const POLICY = Symbol('POLICY');
