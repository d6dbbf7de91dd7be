import { startEmulators, type EmulatorServer } from '../../emulators/index';
import { baseEnv, startApp, type RunningApp } from './app';

export interface Stack {
  emu: EmulatorServer;
  app: RunningApp;
  close(): Promise<void>;
}

/** The real app pointed at real emulators over HTTP, with extra environment on top. */
export async function startStack(env: Record<string, string | undefined> = {}, carriers?: string[]): Promise<Stack> {
  const emu = await startEmulators({ carriers });
  const app = await startApp(baseEnv({ CIRCUIT_BREAKER_THRESHOLD: '1000', ...emu.env(), ...env }));
  return {
    emu,
    app,
    close: async () => {
      await app.close();
      await emu.close();
    },
  };
}

export interface SearchResult {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  ms: number;
}

export async function search(app: RunningApp, qs: string, headers: Record<string, string> = {}): Promise<SearchResult> {
  const started = performance.now();
  const res = await app.get(`/numbers/available?${qs}`, { ...app.authHeaders, 'cache-control': 'no-cache', ...headers });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: JSON.parse(text), ms: performance.now() - started };
}
