export * from './labels';
export { taskSummary } from './summary';
