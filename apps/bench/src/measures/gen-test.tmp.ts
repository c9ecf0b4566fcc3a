import pg from 'pg';
import { migrate, refreshDirtyMeasures, cohortTallies, liveTallies } from '@tandem/db';
import { periodBounds, defaultPeriod } from '@tandem/domain';
import { generateHistory } from './synthetic';
const N = Number(process.argv[2] ?? 1000);
const base = 'postgresql://tandem:tandem@127.0.0.1:5433/tandem';
(async () => {
  const admin = new pg.Pool({ connectionString: base });
  await admin.query('DROP DATABASE IF EXISTS gen_test WITH (FORCE)');
  await admin.query('CREATE DATABASE gen_test');
  const pool = new pg.Pool({ connectionString: base.replace(/\/tandem$/, '/gen_test'), max: 4 });
  await migrate(pool);
  const c = await pool.connect();
  let t = Date.now();
  await generateHistory(c, N, '2026-11-30', console.log);
  c.release();
  console.log('gen', (Date.now() - t) / 1000);
  t = Date.now();
  const n = await refreshDirtyMeasures(pool, 2000);
  console.log('refresh', n, (Date.now() - t) / 1000);
  await pool.query('VACUUM ANALYZE');
  const counts = await pool.query(`SELECT (SELECT count(*) FROM pathway_fact) facts, (SELECT count(*) FROM task) tasks, (SELECT count(*) FROM measure_item) items, (SELECT count(*) FROM measure_tally) tallies`);
  console.log(counts.rows[0]);
  const q = { ...periodBounds(defaultPeriod(new Date('2026-11-30T12:00:00Z'))), now: '2026-11-30T12:00:00.000Z' };
  for (const group of [undefined, 'age', 'deprivation'] as const) {
    const times: number[] = [];
    for (let i = 0; i < 10; i++) { const s = Date.now(); await Promise.all([cohortTallies(pool, { ...q, group }), liveTallies(pool, q)]); times.push(Date.now() - s); }
    console.log(group ?? 'all', times.join(' '));
  }
  const r = await cohortTallies(pool, q);
  console.log([...r.totals].map(([k, v]) => `${k} ${v.k}/${v.n} ${v.value}`).join('\n'));
  await pool.end(); await admin.end();
})();
