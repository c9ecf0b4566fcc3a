import { describe, expect, it } from 'vitest';
import type { PartitionOffset } from '../src/offset-committer';
import { OffsetCommitter } from '../src/offset-committer';

/** The committer with a fake commit at its edge: what reaches Kafka, and when. */
function harness(fail: () => boolean = () => false) {
  const commits: PartitionOffset[][] = [];
  const errors: string[] = [];
  const committer = new OffsetCommitter({
    commit: (offsets) => (fail() ? Promise.reject(new Error('REBALANCE_IN_PROGRESS')) : Promise.resolve(void commits.push(offsets))),
    intervalMs: 20,
    onError: (e) => errors.push(e.message),
  });
  return { committer, commits, errors };
}

describe('offset committer', () => {
  it.each([
    { done: [['t', 0, '5']] as const, commits: [{ topic: 't', partition: 0, offset: '6' }] },
    {
      done: [
        ['t', 0, '5'],
        ['t', 0, '9'],
      ] as const,
      commits: [{ topic: 't', partition: 0, offset: '10' }],
    },
    {
      done: [
        ['t', 0, '5'],
        ['t', 1, '3'],
        ['u', 0, '99'],
      ] as const,
      commits: [
        { topic: 't', partition: 0, offset: '6' },
        { topic: 't', partition: 1, offset: '4' },
        { topic: 'u', partition: 0, offset: '100' },
      ],
    },
    { done: [['t', 0, '9007199254740993']] as const, commits: [{ topic: 't', partition: 0, offset: '9007199254740994' }] },
  ])('commits the next offset to read after the last done record of each partition, in one request: $done', async ({ done, commits: expected }) => {
    const { committer, commits } = harness();
    for (const [t, p, o] of done) committer.done(t, p, o);
    await committer.flush();
    expect(commits).toEqual([expected]);
  });

  it('sends nothing when nothing advanced, and each advance once', async () => {
    const { committer, commits } = harness();
    await committer.flush();
    committer.done('t', 0, '1');
    await committer.flush();
    await committer.flush();
    expect(commits).toEqual([[{ topic: 't', partition: 0, offset: '2' }]]);
  });

  it('commits on its interval and what is left when stopped', async () => {
    const { committer, commits } = harness();
    committer.start();
    committer.done('t', 0, '1');
    await new Promise((r) => setTimeout(r, 60));
    expect(commits).toEqual([[{ topic: 't', partition: 0, offset: '2' }]]);
    committer.done('t', 0, '2');
    await committer.stop();
    expect(commits.at(-1)).toEqual([{ topic: 't', partition: 0, offset: '3' }]);
  });

  it('keeps offsets whose commit failed for the next flush, unless newer progress arrived', async () => {
    let failing = true;
    const { committer, commits, errors } = harness(() => failing);
    committer.done('t', 0, '1');
    committer.done('t', 1, '7');
    await committer.flush();
    expect(errors).toEqual(['REBALANCE_IN_PROGRESS']);
    committer.done('t', 0, '4');
    failing = false;
    await committer.flush();
    expect(commits).toEqual([
      [
        { topic: 't', partition: 0, offset: '5' },
        { topic: 't', partition: 1, offset: '8' },
      ],
    ]);
  });

  it('after a rebalance, drops and ignores progress on partitions that are no longer its own', async () => {
    const { committer, commits } = harness();
    committer.done('t', 0, '1');
    committer.done('t', 1, '1');
    committer.assign({ t: [1, 2] });
    committer.done('t', 0, '2'); // a lane of the old generation finishing late
    committer.done('t', 2, '8');
    await committer.flush();
    expect(commits).toEqual([
      [
        { topic: 't', partition: 1, offset: '2' },
        { topic: 't', partition: 2, offset: '9' },
      ],
    ]);
  });
});
