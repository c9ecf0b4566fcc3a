import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { CareNotification } from '@tandem/domain';

const address = z.email();
const directorySchema = z.strictObject({
  queues: z.record(z.string(), address).default({}),
  teams: z.record(z.string(), address).default({}),
  people: z.record(z.string(), address).default({}),
  gp: z.strictObject({ default: address.optional(), practices: z.record(z.string(), address).default({}) }).default({ practices: {} }),
});

export type Directory = z.infer<typeof directorySchema>;

export const DEFAULT_DIRECTORY_FILE = join(__dirname, '..', 'directory.default.yaml');

/** Reads and validates a directory file; a bad one fails the start with what is wrong, by key. */
export function loadDirectory(file: string): Directory {
  let document: unknown;
  try {
    document = parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`TANDEM_DIRECTORY: cannot read ${file}: ${(e as Error).message.split('\n')[0]}`);
  }
  const parsed = directorySchema.safeParse(document ?? {});
  if (!parsed.success) throw new Error(`TANDEM_DIRECTORY ${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** An e-mail address for a staff recipient, and who that is in words (what is recorded: never the address). */
export interface StaffAddress {
  address: string;
  words: string;
}

/** Resolves a staff recipient; `keyWorker` and `gpPracticeId` come from the patient's record. */
export function staffAddress(
  d: Directory,
  recipient: CareNotification['recipient'],
  ctx: { keyWorker?: string; gpPracticeId?: string },
): StaffAddress | undefined {
  const queue = (id: string | undefined, words: string) => (id && d.queues[id] ? { address: d.queues[id], words } : undefined);
  switch (recipient.role) {
    case 'queue':
      return queue(recipient.id, `the ${recipient.id} queue's mailbox`);
    case 'team': {
      const id = recipient.id;
      if (id && d.teams[id]) return { address: d.teams[id], words: `the ${id} team's mailbox` };
      return queue(id, `the ${id} team's mailbox`);
    }
    case 'key-worker': {
      const who = recipient.id ?? ctx.keyWorker;
      if (who && d.people[who]) return { address: d.people[who], words: `key worker ${who}` };
      return queue('coordination', who ? `the coordination mailbox (no address for key worker ${who})` : 'the coordination mailbox (no key worker named yet)');
    }
    case 'gp': {
      const practice = ctx.gpPracticeId ? d.gp.practices[ctx.gpPracticeId] : undefined;
      if (practice) return { address: practice, words: `GP practice ${ctx.gpPracticeId}` };
      return d.gp.default ? { address: d.gp.default, words: 'the GP practice (default address)' } : undefined;
    }
    default:
      return undefined;
  }
}
