export * from './duration';
export * from './policy';
