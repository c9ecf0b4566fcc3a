export * from './events';
export * from './pathway';
export * from './policy';
export * from './tasks';
export * from './rules';
export * from './measures';
export * from './notifications';
export * from './words';
