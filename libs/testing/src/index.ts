export * from './builders';
export * from './local-services';
export * from './wait-for';
export * from './service-process';
export * from './listening';
export * from './restart';
