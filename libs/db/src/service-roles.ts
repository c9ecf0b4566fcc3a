import type { Pool } from 'pg';
import { SERVICE_ROLES } from '@tandem/config';

/**
 * For development only (the embedded cluster, tests, docker compose): lets each service's role
 * (migration 012) log in, with its development password (`embeddedServiceUrl`: the role's name).
 * A real deployment sets its own passwords
 * (`ALTER ROLE tandem_api LOGIN PASSWORD …`, or the platform's secret rotation).
 */
export async function enableDevServiceLogins(pool: Pool): Promise<void> {
  for (const role of Object.values(SERVICE_ROLES)) {
    const ident = `"${role.replace(/"/g, '""')}"`;
    const literal = `'${role.replace(/'/g, "''")}'`;
    await pool.query(`ALTER ROLE ${ident} LOGIN PASSWORD ${literal}`);
  }
}
