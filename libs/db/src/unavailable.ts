/** Node's socket errors when PostgreSQL cannot be reached. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * Whether an error means PostgreSQL is unreachable or going away (so the answer is "try again",
 * 503), rather than that the statement was wrong: SQLSTATE class 08 (connection exception), 57P01–03
 * (shut down, crashed, not yet accepting connections), 53300 (too many connections), a socket error,
 * or node-postgres's own "connection terminated" and connect timeout.
 */
export function isDatabaseUnavailable(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const { code, message } = e as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (code.startsWith('08') || /^57P0[123]$/.test(code) || code === '53300' || SOCKET_CODES.has(code))) return true;
  return (
    typeof message === 'string' && /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/.test(message)
  );
}
