export * from './data';
export * from './envelope';
export * from './clinical-time';
export * from './provenance';
