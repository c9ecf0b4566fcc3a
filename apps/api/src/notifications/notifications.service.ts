import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { TandemConfig } from '@tandem/config';
import type { NotificationView } from '@tandem/db';
import { listNotifications, promRequestIds, retryParked, revokePromLink } from '@tandem/db';
import { queuesOf } from '../auth/queue-access';
import type { Principal } from '../auth/roles';
import { DomainError } from '../common/domain-error';
import { CONFIG, PG_POOL } from '../tokens';
import type { RequestHandles } from './request-handle';
import { requestHandles } from './request-handle';

/** A notification as it was delivered, for the controller's signatures (controllers do not import @tandem/db). */
export type { NotificationView };

/** A patient's notification; a questionnaire request also names the handle its revoke URL takes. */
export type PatientNotification = NotificationView & { requestHandle?: string };

/**
 * Notifications as they were delivered (the notifier's record): a patient's, the caller's reminders,
 * the ones that could not be delivered, and what staff do to them: withdraw a questionnaire link,
 * retry a parked delivery.
 */
@Injectable()
export class NotificationsService {
  private readonly handles: RequestHandles;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CONFIG) config: TandemConfig,
  ) {
    this.handles = requestHandles(config);
  }

  async ofPatient(patientId: string, limit: number): Promise<PatientNotification[]> {
    const items = await listNotifications(this.pool, { patientId, limit });
    // A questionnaire request carries the handle its revoke URL takes (never its guessable id in a URL).
    return items.map((n) => {
      const requestId = n.reason.evidence.requestId;
      return n.kind === 'prom-request' && typeof requestId === 'string' ? { ...n, requestHandle: this.handles.of(patientId, requestId) } : n;
    });
  }

  /** Reminders and escalations addressed to the caller: their queues, the teams of those names, or them by name. */
  reminders(caller: Principal, limit: number): Promise<NotificationView[]> {
    const queues = queuesOf(caller);
    const recipients = [
      ...queues.flatMap((id) => [
        { role: 'queue', id },
        { role: 'team', id },
      ]),
      { role: 'team', id: 'all-involved' },
      { role: 'key-worker', id: caller.sub },
    ];
    return listNotifications(this.pool, { kinds: ['clinician-reminder', 'escalation'], recipients, limit });
  }

  /** Every notification, or those with one delivery status. */
  list(status: NotificationView['status'] | undefined, limit: number): Promise<NotificationView[]> {
    return listNotifications(this.pool, { ...(status ? { status } : {}), limit });
  }

  /**
   * Withdraws a questionnaire link before it is used, naming the request by its handle; the id of the
   * request withdrawn. Not found when it is not one of this patient's requests, a conflict when it was
   * answered or withdrawn already.
   */
  async revoke(patientId: string, handle: string, by: string, reason: string): Promise<string> {
    // The request must be this patient's, and exist: a handle is an HMAC of both ids, so it is found among the patient's own.
    const requestId = (await promRequestIds(this.pool, patientId)).find((id) => this.handles.matches(handle, patientId, id));
    if (requestId === undefined) throw new DomainError('not-found', 'this patient has no questionnaire request with this handle');
    if (!(await revokePromLink(this.pool, { requestId, patientId, by, reason })))
      throw new DomainError('conflict', 'this questionnaire link was answered or withdrawn already');
    return requestId;
  }

  /** Tries a notification's parked deliveries again now; how many. */
  async retry(id: string): Promise<number> {
    const retried = await retryParked(this.pool, id);
    if (retried === 0) throw new DomainError('nothing-to-retry', 'this notification has no parked delivery');
    return retried;
  }
}
