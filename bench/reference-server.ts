import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import Fastify from 'fastify';
import Redis from 'ioredis';

/**
 * The least a cache hit can do, as a yardstick for the service: check the key, build the cache key,
 * one Redis GET, send the JSON with a tracking id. Started by bench/run.ts as its own process.
 * Env: PORT, REDIS_URL, API_KEY, CACHE_KEY (the key bench/run.ts filled).
 */
async function main(): Promise<void> {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { enableAutoPipelining: true });
  const expected = createHash('sha256').update(process.env.API_KEY ?? '').digest();
  const app = Fastify({ logger: false });
  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/numbers/available', async (request, reply) => {
    const auth = request.headers.authorization ?? '';
    const presented = createHash('sha256').update(auth.startsWith('Bearer ') ? auth.slice(7) : '').digest();
    if (!timingSafeEqual(presented, expected)) return reply.code(401).send({ error: 'unauthorized' });
    const q = request.query as Record<string, string>;
    const features = (q.features ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean).sort().join(',');
    const key = `${process.env.CACHE_KEY_PREFIX ?? 'ref'}:${(q.countryCode ?? '').toUpperCase()}:${q.areaCode ?? ''}:${features}:${q.limit ?? 10}`;
    const cached = await redis.get(key);
    reply.header('x-tracking-id', randomUUID());
    return reply.header('content-type', 'application/json; charset=utf-8').send(cached ?? '{"numbers":[]}');
  });
  await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
  process.stdout.write(`listening ${(app.server.address() as { port: number }).port}\n`);
  process.once('SIGTERM', () => void app.close().then(() => redis.quit()).then(() => process.exit(0)));
}

void main();
