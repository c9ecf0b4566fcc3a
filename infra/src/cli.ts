import { info } from './log';
import { provisionAll } from './provision';
import { downLocalServices, printSettings, upLocalServices, wantedFromEnv } from './stack';

const usage = 'usage: tsx infra/src/cli.ts provision | up | down';

async function main(command: string | undefined): Promise<void> {
  switch (command) {
    case 'provision': {
      const tools = await provisionAll();
      info(`tools ready:\n  ${Object.values(tools).join('\n  ')}`);
      return;
    }
    case 'up': {
      const wanted = wantedFromEnv();
      await upLocalServices(wanted);
      printSettings(wanted);
      info('running in the background; stop them with: npm run infra:down');
      return;
    }
    case 'down':
      await downLocalServices();
      return;
    default:
      process.stderr.write(`${usage}\n`);
      process.exitCode = 2;
  }
}

main(process.argv[2]).catch((e: unknown) => {
  process.stderr.write(`tandem: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
