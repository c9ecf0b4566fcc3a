import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { patientIdSchema } from '@tandem/domain';
import type { AuthedRequest } from '../auth/auth.guard';
import { Allow } from '../auth/auth.guard';
import { PATIENT_WORK_ROLES } from '../auth/roles';
import { ZodPipe } from '../common/zod-pipe';
import { listQuerySchema, notificationIdSchema, notificationsQuerySchema, requestHandleSchema, revokeBodySchema } from './notifications.schemas';
import type { NotificationView, PatientNotification } from './notifications.service';
import { NotificationsService } from './notifications.service';

type Items = { items: NotificationView[] };

/**
 * Notifications as they were delivered (the notifier's record): a patient's, the caller's reminders,
 * and for operators the ones that could not be delivered, with why, to retry once fixed.
 */
@Controller('api/v1')
export class NotificationsController {
  constructor(@Inject(NotificationsService) private readonly notifications: NotificationsService) {}

  @Get('patients/:patientId/notifications')
  @Allow(...PATIENT_WORK_ROLES)
  async ofPatient(
    @Param('patientId', new ZodPipe(patientIdSchema, 'patient id')) patientId: string,
    @Query(new ZodPipe(listQuerySchema, 'query')) q: { limit: number },
  ): Promise<{ patientId: string; items: PatientNotification[] }> {
    return { patientId, items: await this.notifications.ofPatient(patientId, q.limit) };
  }

  /** Reminders and escalations addressed to the caller: their queues, the teams of those names, or them by name. */
  @Get('reminders')
  @Allow(...PATIENT_WORK_ROLES)
  async reminders(@Req() req: AuthedRequest, @Query(new ZodPipe(listQuerySchema, 'query')) q: { limit: number }): Promise<Items> {
    return { items: await this.notifications.reminders(req.principal!, q.limit) };
  }

  @Get('notifications')
  @Allow('admin', 'coordinator')
  async list(@Query(new ZodPipe(notificationsQuerySchema, 'query')) q: { status?: NotificationView['status']; limit: number }): Promise<Items> {
    return { items: await this.notifications.list(q.status, q.limit) };
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
    return { requestId: await this.notifications.revoke(patientId, handle, req.principal!.sub, body.reason), revoked: true };
  }

  /** Parked deliveries of one notification are tried again now (after the cause was fixed). */
  @Post('notifications/:id/retry')
  @HttpCode(200)
  @Allow('admin')
  async retry(@Param('id', new ZodPipe(notificationIdSchema, 'notification id')) id: string): Promise<{ id: string; retried: number }> {
    return { id, retried: await this.notifications.retry(id) };
  }
}
