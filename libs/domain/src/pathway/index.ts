export { applyCommand } from './apply';
export * from './engine';
export * from './inputs';
export * from './state';
export * from './timers';
