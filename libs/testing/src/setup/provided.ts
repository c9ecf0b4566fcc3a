// Values global setups hand to tests through vitest's provide/inject.
import type {} from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    timeSkippingServer: string;
  }
}
