export { applyCommand } from './apply';
export * from './compact';
export * from './engine';
export * from './inputs';
export * from './state';
export * from './timers';
export * from './ended';
