export { ConfigError, loadConfig, loadConfigOrExit } from './loader';
export type { TandemConfig } from './loader';
export type { PayloadKey } from './keys';
export { parsePayloadKey } from './keys';
export { DEFAULTS, EMBEDDED_DATABASE, EMBEDDED_DATABASE_URL } from './settings';
export { createLogger } from './logger';
export type { Logger, LogLevel } from './logger';
export { runService } from './service';
