import type { Client } from '@temporalio/client';
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import { digestScheduleId, DIGEST_WORKFLOW_TYPE } from '@tandem/workflows/contract';
import type { WeeklyDigestInput } from '@tandem/workflows/contract';

export interface DigestScheduleOptions {
  taskQueue: string;
  /** Policy `digest.schedule` (cron) and `digest.timeZone`. */
  cron: string;
  timeZone: string;
}

/**
 * The weekly digest's Temporal Schedule (the server's Schedules API): created at the first worker
 * start, and brought to the policy's cron and time zone at every later one — one schedule, however
 * often workers start. A digest missed while the server was down is not made up (overlap: skip);
 * `npm run digest -- --now` makes one at once.
 */
export async function ensureDigestSchedule(client: Client, o: DigestScheduleOptions): Promise<'created' | 'updated'> {
  const spec = { cronExpressions: [o.cron], timezone: o.timeZone };
  try {
    await client.schedule.create({
      scheduleId: digestScheduleId(o.taskQueue),
      spec,
      action: {
        type: 'startWorkflow',
        workflowType: DIGEST_WORKFLOW_TYPE,
        workflowId: `weekly-digest-${o.taskQueue}`,
        taskQueue: o.taskQueue,
        args: [{} satisfies WeeklyDigestInput],
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
    });
    return 'created';
  } catch (e) {
    if (!(e instanceof ScheduleAlreadyRunning)) throw e;
    await client.schedule.getHandle(digestScheduleId(o.taskQueue)).update((previous) => ({
      ...previous,
      spec,
      action: { ...previous.action, type: 'startWorkflow', workflowType: DIGEST_WORKFLOW_TYPE, taskQueue: o.taskQueue },
    }));
    return 'updated';
  }
}
