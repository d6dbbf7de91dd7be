import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config/app-config';
import { createRootLogger, SERVICE_NAME, secretScrubberFor } from '../../src/logging/logging.module';
import { requestLineWriter } from '../../src/logging/request-line';
import { PROVIDER_DEFINITIONS } from '../../src/providers/registry';

/** The request line is formatted by hand for speed; it must be the very line pino would write. */
function capture(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  return { stream, lines };
}

const withoutTime = (line: string) => line.replace(/"time":"[^"]+"/, '"time":"T"');
const flush = () => new Promise((r) => setImmediate(r));

describe('the request line', () => {
  const config = loadConfig({ API_KEYS: 'billing:k_line_secret_0123456789', LOG_LEVEL: 'info' }, PROVIDER_DEFINITIONS);
  const scrubber = secretScrubberFor(config);

  it.each([
    { trackingId: '28d87882595042bc80af1c8165fcb149', method: 'GET', path: '/numbers/available', statusCode: 200, durationMs: 1.23 },
    { trackingId: 'abc', method: 'POST', path: '/a "quoted"\\path\u2028é', statusCode: 404, durationMs: 0 },
    { trackingId: 'abc', method: 'GET', path: '/k_line_secret_0123456789', statusCode: 401, durationMs: 12.5 },
  ])('is byte for byte what pino writes for the same fields: %j', async (fields) => {
    const { stream, lines } = capture();
    const root = createRootLogger(config, stream, scrubber);
    const msg = `${fields.method} ${fields.path} ${fields.statusCode}`;
    root.info({ trackingId: fields.trackingId, req: { method: fields.method, path: fields.path }, res: { statusCode: fields.statusCode }, durationMs: fields.durationMs }, msg);
    expect(requestLineWriter(root, scrubber, SERVICE_NAME)(fields)).toBe(true);
    await flush();
    expect(lines).toHaveLength(2);
    expect(withoutTime(lines[1])).toBe(withoutTime(lines[0]));
    expect(lines[1]).not.toContain('k_line_secret_0123456789');
    expect(JSON.parse(lines[1])).toMatchObject({ level: 'info', service: SERVICE_NAME, trackingId: fields.trackingId, res: { statusCode: fields.statusCode } });
  });

  it('is not written when the info level is off', async () => {
    const { stream, lines } = capture();
    const root = createRootLogger({ ...config, logLevel: 'warn' }, stream, scrubber);
    expect(requestLineWriter(root, scrubber, SERVICE_NAME)({ trackingId: 'a', method: 'GET', path: '/', statusCode: 200, durationMs: 1 })).toBe(false);
    await flush();
    expect(lines).toEqual([]);
  });
});
