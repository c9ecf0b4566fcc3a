import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import type { Pool } from 'pg';
import type { NotificationView } from '@tandem/db';
import type { TandemConfig } from '@tandem/config';
import { listNotifications, promRequestIds, retryParked, revokePromLink } from '@tandem/db';
import { patientIdSchema } from '@tandem/domain';
import type { AuthedRequest } from '../auth/auth.guard';
import { Allow } from '../auth/auth.guard';
import { queuesOf } from '../auth/queue-access';
import { PATIENT_WORK_ROLES } from '../auth/roles';
import { DomainError } from '../common/domain-error';
import { ZodPipe } from '../common/zod-pipe';
import { CONFIG, PG_POOL } from '../tokens';
import { listQuerySchema, notificationIdSchema, notificationsQuerySchema, requestHandleSchema, revokeBodySchema } from './notifications.schemas';
import type { RequestHandles } from './request-handle';
import { requestHandles } from './request-handle';

type Items = { items: NotificationView[] };

/**
 * Notifications as they were delivered (the notifier's record): a patient's, the caller's reminders,
 * and for operators the ones that could not be delivered, with why, to retry once fixed.
 */
@Controller('api/v1')
export class NotificationsController {
  private readonly handles: RequestHandles;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CONFIG) config: TandemConfig,
  ) {
    this.handles = requestHandles(config);
  }

  @Get('patients/:patientId/notifications')
  @Allow(...PATIENT_WORK_ROLES)
  async ofPatient(
    @Param('patientId', new ZodPipe(patientIdSchema, 'patient id')) patientId: string,
    @Query(new ZodPipe(listQuerySchema, 'query')) q: { limit: number },
  ): Promise<Items & { patientId: string }> {
    const items = await listNotifications(this.pool, { patientId, limit: q.limit });
    // A questionnaire request carries the handle its revoke URL takes (never its guessable id in a URL).
    return {
      patientId,
      items: items.map((n) => {
        const requestId = n.reason.evidence.requestId;
        return n.kind === 'prom-request' && typeof requestId === 'string' ? { ...n, requestHandle: this.handles.of(patientId, requestId) } : n;
      }),
    };
  }

  /** Reminders and escalations addressed to the caller: their queues, the teams of those names, or them by name. */
  @Get('reminders')
  @Allow(...PATIENT_WORK_ROLES)
  async reminders(@Req() req: AuthedRequest, @Query(new ZodPipe(listQuerySchema, 'query')) q: { limit: number }): Promise<Items> {
    const p = req.principal!;
    const queues = queuesOf(p);
    const recipients = [
      ...queues.flatMap((id) => [
        { role: 'queue', id },
        { role: 'team', id },
      ]),
      { role: 'team', id: 'all-involved' },
      { role: 'key-worker', id: p.sub },
    ];
    return { items: await listNotifications(this.pool, { kinds: ['clinician-reminder', 'escalation'], recipients, limit: q.limit }) };
  }

  @Get('notifications')
  @Allow('admin', 'coordinator')
  async list(@Query(new ZodPipe(notificationsQuerySchema, 'query')) q: { status?: NotificationView['status']; limit: number }): Promise<Items> {
    return { items: await listNotifications(this.pool, { ...(q.status ? { status: q.status } : {}), limit: q.limit }) };
  }

  /**
   * Withdraws a questionnaire link before it is used (sent to the wrong address, no longer wanted):
   * the PROM page then says so and takes no answer. The URL names the request by its handle (see
   * `requestHandle` in the patient's notifications); 404 when it is not one of this patient's
   * requests, 409 when it was answered or withdrawn already.
   */
  @Post('patients/:patientId/prom-requests/:requestHandle/revoke')
  @HttpCode(200)
  @Allow('coordinator', 'admin')
  async revoke(
    @Param('patientId', new ZodPipe(patientIdSchema, 'patient id')) patientId: string,
    @Param('requestHandle', new ZodPipe(requestHandleSchema, 'request handle')) handle: string,
    @Body(new ZodPipe(revokeBodySchema, 'body')) body: { reason: string },
    @Req() req: AuthedRequest,
  ): Promise<{ requestId: string; revoked: true }> {
    // The request must be this patient's, and exist: a handle is an HMAC of both ids, so it is found among the patient's own.
    const requestId = (await promRequestIds(this.pool, patientId)).find((id) => this.handles.matches(handle, patientId, id));
    if (requestId === undefined) throw new DomainError('not-found', 'this patient has no questionnaire request with this handle');
    if (!(await revokePromLink(this.pool, { requestId, patientId, by: req.principal!.sub, reason: body.reason })))
      throw new DomainError('conflict', 'this questionnaire link was answered or withdrawn already');
    return { requestId, revoked: true };
  }

  /** Parked deliveries of one notification are tried again now (after the cause was fixed). */
  @Post('notifications/:id/retry')
  @HttpCode(200)
  @Allow('admin')
  async retry(@Param('id', new ZodPipe(notificationIdSchema, 'notification id')) id: string): Promise<{ id: string; retried: number }> {
    const retried = await retryParked(this.pool, id);
    if (retried === 0) throw new DomainError('nothing-to-retry', 'this notification has no parked delivery');
    return { id, retried };
  }
}
