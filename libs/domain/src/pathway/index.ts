export * from './engine';
export * from './inputs';
export * from './rules';
export * from './state';
