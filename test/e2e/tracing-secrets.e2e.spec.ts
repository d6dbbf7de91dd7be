import { startEmulators } from '../../emulators/index';
import { baseEnv, startApp, TEST_KEY } from '../support/app';
import { OtlpReceiver } from '../support/otlp-receiver';
import { QUERY } from '../support/tracing';

/**
 * Span text passes the secret scrubber before it is exported, whoever wrote it: a carrier that quotes the
 * credentials it received (in every encoding), a caller that puts its key in the query string. The
 * collector's own key (OTEL_EXPORTER_OTLP_HEADERS) goes to the collector and into no log line.
 */
it('never exports a secret, whatever a caller or a carrier puts in the text spans hold', async () => {
  const secret = 'Vo/"sec\\ret+Vg03';
  const collectorKey = 'otlp-collector-key-0123456789';
  const emu = await startEmulators({ carriers: ['vonage'], credentials: { vonage: { apiKey: 'a1b2c3d4', apiSecret: secret } } });
  const receiver = new OtlpReceiver();
  const app = await startApp(
    baseEnv({
      ...emu.env(),
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${await receiver.listen()}/v1/traces`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_HEADERS: `x-collector-key=${collectorKey}`,
    }),
  );
  try {
    emu.setBehaviour('vonage', { fault: { type: 'echo_credentials', status: 500 } });
    expect((await app.get(QUERY)).status).toBe(502);
    expect((await app.get(`/numbers/available?countryCode=US&apiKey=${TEST_KEY}`)).status).toBe(400);
    await app.close();
    const exported = receiver.exports.map((e) => e.body.toString('utf8')).join('\n');
    // What was exported: the search, its carrier's failure with the carrier's (cleaned) message, the refused query.
    expect(exported).toContain('carrier vonage');
    expect(exported).toContain('apiKey=[REDACTED]');
    const forms = [secret, TEST_KEY, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), Buffer.from(`a1b2c3d4:${secret}`).toString('base64')];
    expect(forms.filter((f) => exported.includes(f))).toEqual([]);
    expect(receiver.exports[0].headers['x-collector-key']).toBe(collectorKey);
    expect(app.rawLogs.length).toBeGreaterThan(0);
    expect(app.rawLogs.filter((l) => l.includes(collectorKey) || forms.some((f) => l.includes(f)))).toEqual([]);
  } finally {
    await Promise.all([emu.close(), receiver.close()]);
  }
});
