import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadPathwayPolicy } from '@tandem/config/policy';
import { initialState, LEGACY_RULES_REVISION, RULES_REVISION } from '@tandem/domain';
import { advancedDiagnosis, newPatientId, waitFor } from '@tandem/testing';
import { pathwayRevisions } from '@tandem/worker/pathway-revisions';
import { PATHWAY_WORKFLOW_TYPE, pathwayStateQuery, pathwayWorkflowId } from '@tandem/workflows/contract';
import type { PathwayWorkflowInput } from '@tandem/workflows/contract';
import type { RunningTandem } from '../src/system';
import { startTandem } from '../src/system';

/**
 * Retiring a rules revision or a patch starts with knowing which running pathways still need it
 * (docs/rule-revisions.md): `npm run -s pathway-revisions` asks Temporal's visibility for the running
 * pathways and each pathway for its revision. Here, on the real worker and Temporal: a pathway carried
 * over at revision 3 is counted at 3 until its next input moves it to the current revision.
 */
let sys: RunningTandem;
beforeAll(async () => {
  sys = await startTandem({ databaseUrl: inject('databaseUrl') });
});
afterAll(async () => {
  await sys?.stop();
});

describe('which revisions the running pathways are at', () => {
  it('counts a pathway carried over at revision 3 and a new one at the current revision; the old one moves up on its next input', async () => {
    const prefix = newPatientId('rev');
    const [legacy, current] = [`${prefix}.a`, `${prefix}.b`];
    const policy = loadPathwayPolicy(sys.config);
    const start = (patientId: string, input: PathwayWorkflowInput) =>
      sys.temporal.workflow.start(PATHWAY_WORKFLOW_TYPE, { taskQueue: sys.config.temporal.taskQueue, workflowId: pathwayWorkflowId(patientId), args: [input] });
    // A pathway as a run recorded before revisions existed carries it over (continue-as-new): no revision in its state.
    await start(legacy, { patientId: legacy, policy, carried: { state: initialState(legacy, LEGACY_RULES_REVISION), seenEventIds: [] } });
    const release = new Date();
    await start(current, { patientId: current, policy });
    const revision = async (p: string) => (await sys.temporal.workflow.getHandle(pathwayWorkflowId(p)).query(pathwayStateQuery)).state.revision;
    await waitFor(async () => ((await revision(current)) === RULES_REVISION ? true : undefined), { what: 'the new pathway answering', timeoutMs: 30_000 });

    // Visibility is eventually consistent: wait until it lists both.
    const before = await waitFor(
      async () => {
        const r = await pathwayRevisions(sys.temporal, { patientIdPrefix: prefix, startedBefore: release });
        return r.running === 2 ? r : undefined;
      },
      { what: 'both pathways listed by visibility', timeoutMs: 30_000 },
    );
    expect(before).toEqual({ running: 2, byRevision: { [LEGACY_RULES_REVISION]: 1, [RULES_REVISION]: 1 }, startedBefore: 1, unanswered: 0 });

    // Its next input moves the old pathway to the current revision (the rules-revision patches).
    await sys.producer.send({ topic: sys.topics.in, messages: [{ key: legacy, value: JSON.stringify(advancedDiagnosis(legacy)) }] });
    await waitFor(async () => ((await revision(legacy)) === RULES_REVISION ? true : undefined), { what: 'the old pathway moved up', timeoutMs: 30_000 });
    expect(await pathwayRevisions(sys.temporal, { patientIdPrefix: prefix })).toEqual({ running: 2, byRevision: { [RULES_REVISION]: 2 }, unanswered: 0 });
  }, 120_000);
});
