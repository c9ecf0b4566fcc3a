export { createActivities } from './pathway-activities';
export type { ActivityDeps } from './pathway-activities';
export { createDigestActivities } from './digest-activities';
