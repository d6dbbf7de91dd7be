import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './redis';

/** The service as a real process (src/main.ts under ts-node), as the shutdown tests run it. */
export interface ServiceProcess {
  child: ChildProcessWithoutNullStreams;
  url: string;
  output(): string;
  exited: Promise<number | null>;
  /** SIGKILL: the process dies at once, mid-request, as on a crash or an OOM kill. */
  kill(): Promise<void>;
}

export async function startServiceProcess(env: Record<string, string>): Promise<ServiceProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, '..', '..', 'src', 'main.ts')], {
    env: { PATH: process.env.PATH ?? '', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}: ${output}`);
    if (await fetch(`${url}/health/live`).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    child,
    url,
    output: () => output,
    exited,
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** The Node options the Docker image runs the service with (its NODE_OPTIONS), read from the Dockerfile itself. */
export function imageNodeOptions(): string {
  const dockerfile = readFileSync(join(__dirname, '..', '..', 'Dockerfile'), 'utf8');
  const m = /NODE_OPTIONS=(?:"([^"]*)"|(\S+))/.exec(dockerfile);
  const options = m?.[1] ?? m?.[2];
  if (options === undefined) throw new Error('the Dockerfile sets no NODE_OPTIONS');
  return options;
}
