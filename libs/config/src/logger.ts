export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/**
 * One JSON line per entry on stderr. Callers pass identifiers and counts only: never event data,
 * names or contact details (no PHI in logs).
 */
export function createLogger(service: string, level: LogLevel = 'info'): Logger {
  const write = (l: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (rank[l] < rank[level]) return;
    process.stderr.write(`${JSON.stringify({ t: new Date().toISOString(), level: l, service, msg, ...fields })}\n`);
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
