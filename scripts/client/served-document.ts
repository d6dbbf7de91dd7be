import { Writable } from 'node:stream';
import { loadAppConfig } from '../../src/app/load-app-config';
import { createApp } from '../../src/app/create-app';

/**
 * The environment the document is built under: one throw-away key, no carriers, no Redis. The document does
 * not depend on configuration, and the developer's own shell (REDIS_URL, carrier keys) must not reach it.
 */
const GENERATION_ENV = { API_KEYS: 'client-generation:unused-key-0000000000', LOG_LEVEL: 'error' };

/**
 * Starts the service in this process on a free port of 127.0.0.1 and returns what `GET /openapi.json`
 * answers: the document exactly as callers see it, not a copy built another way.
 */
export async function fetchServedDocument(): Promise<unknown> {
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const app = await createApp(loadAppConfig(GENERATION_ENV), { logStream });
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.getHttpServer().address() as { port: number };
    const response = await fetch(`http://127.0.0.1:${port}/openapi.json`);
    if (response.status !== 200) {
      throw new Error(`GET /openapi.json answered ${response.status}: ${await response.text()}\n${logs.join('')}`);
    }
    return (await response.json()) as unknown;
  } finally {
    await app.close();
  }
}
