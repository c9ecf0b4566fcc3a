// @ts-check
// The API's response types, shared from the code that produces them (a renamed field fails `tsc`).
// Types only: this module exports nothing at run time.

/** @typedef {import('@tandem/domain').Task & { allowedOutcomes: string[]; summary: string }} Task */
/** @typedef {{ sub: string; roles: string[]; queues: string[] }} Me */
/** @typedef {{ items: Task[]; nextCursor: string | null }} TaskPage */
/** @typedef {import('zod').infer<typeof import('../../api/src/tasks/tasks.schemas').queueCountsSchema>} QueueCounts */
/** @typedef {import('../../api/src/pathways/pathways.schemas').PathwayResponse} Pathway */
/** @typedef {import('../../api/src/pathways/pathways.schemas').SymptomsResponse} Symptoms */
/** @typedef {import('@tandem/db').NotificationView} NotificationView */
/** @typedef {{ items: NotificationView[] }} NotificationList */
/** @typedef {import('@tandem/domain').Vocabulary} Vocabulary */
/** @typedef {import('@tandem/domain').MeasuresReport} MeasuresReport */
/** @typedef {MeasuresReport['measures'][number]} Measure */
/** @typedef {import('lit-html').TemplateResult} TemplateResult */

export {};
