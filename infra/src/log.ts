/** Progress output for slow set-up steps: a line when a step starts, elapsed time while it runs, and when it ends. */
export function info(message: string): void {
  process.stdout.write(`tandem: ${message}\n`);
}

export async function step<T>(label: string, work: () => Promise<T>, opts: { slowHint?: string } = {}): Promise<T> {
  const started = Date.now();
  info(`${label}${opts.slowHint ? ` (${opts.slowHint})` : ''} ...`);
  const ticker = setInterval(() => {
    info(`  ... ${label}: still working (${Math.round((Date.now() - started) / 1000)}s)`);
  }, 20_000);
  try {
    const result = await work();
    info(`${label}: done in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    return result;
  } finally {
    clearInterval(ticker);
  }
}
