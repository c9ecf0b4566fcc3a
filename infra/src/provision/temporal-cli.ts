import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../exec';
import { step } from '../log';
import { cacheDir } from '../paths';

/** v1.5.1 is the last tag whose go.mod has no `replace` directive, so `go install` works. */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';

export function temporalCliPath(): string {
  return join(cacheDir, 'temporal-cli', TEMPORAL_CLI_VERSION, 'temporal');
}

export async function provisionTemporalCli(): Promise<string> {
  const bin = temporalCliPath();
  if (existsSync(bin)) return bin;
  const gobin = join(cacheDir, 'temporal-cli', TEMPORAL_CLI_VERSION);
  mkdirSync(gobin, { recursive: true });
  await step(
    `Building the Temporal CLI ${TEMPORAL_CLI_VERSION} from the Go module proxy`,
    () =>
      run('go', ['install', `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`], {
        env: { ...process.env, GOBIN: gobin, CGO_ENABLED: '0' },
      }),
    { slowHint: 'first run only, about 4 minutes' },
  );
  return bin;
}
