import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CLINICAL_EVENT_TYPES, envelopeSchema, eventDataSchemas } from '@tandem/domain';
import { repoRoot } from './paths';

/**
 * JSON Schema (2020-12) for integrators, generated from the zod schemas the bridge and API validate
 * with: one file for the CloudEvents envelope, one per event type's `data`.
 *   npm run -s schemas          write docs/schemas/
 *   npm run -s schemas -- --check   fail if docs/schemas/ is out of date
 */
export const SCHEMAS_DIR = join(repoRoot, 'docs', 'schemas');

export function generateSchemas(): Record<string, string> {
  const files: Record<string, string> = {};
  const write = (name: string, schema: z.ZodType, title: string) => {
    const json = { $id: `https://tandem.example/schemas/${name}`, title, ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) };
    files[name] = `${JSON.stringify(json, null, 2)}\n`;
  };
  write('envelope.json', envelopeSchema, 'Clinical event envelope (CloudEvents 1.0, structured mode)');
  for (const type of CLINICAL_EVENT_TYPES) write(`${type}.json`, eventDataSchemas[type], `data of ${type}`);
  return files;
}

function main(): void {
  const files = generateSchemas();
  if (process.argv.includes('--check')) {
    const stale = Object.entries(files).filter(([name, text]) => {
      try {
        return readFileSync(join(SCHEMAS_DIR, name), 'utf8') !== text;
      } catch {
        return true;
      }
    });
    if (stale.length) {
      process.stderr.write(`docs/schemas is out of date: ${stale.map(([n]) => n).join(', ')}; run npm run -s schemas\n`);
      process.exitCode = 1;
    }
    return;
  }
  mkdirSync(SCHEMAS_DIR, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(SCHEMAS_DIR, name), text);
  process.stdout.write(`wrote ${Object.keys(files).length} schemas to docs/schemas/\n`);
}

if (require.main === module) main();
