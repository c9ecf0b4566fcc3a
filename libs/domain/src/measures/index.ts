export * from './catalogue';
export * from './figures';
export * from './periods';
export * from './report';
export * from './suppression';
