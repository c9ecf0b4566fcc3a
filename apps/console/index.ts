import { join } from 'node:path';

/** The console is static files; the API serves this folder at /. */
export const consoleDir = join(__dirname, 'public');
