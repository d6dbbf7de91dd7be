import { callerContext, QUERY, startTraced, until } from '../support/tracing';

/**
 * How spans leave the service: OTLP/HTTP to the configured endpoint, protobuf unless told otherwise, and
 * an operator told once when the collector refuses them and once when it takes them again (never once per
 * batch). The outage test comes first: it reads log lines, which only the file's first app can.
 */
it('says once when the collector refuses spans, and once when it takes them again', async () => {
  const t = await startTraced({ OTEL_BSP_SCHEDULE_DELAY: '20' }, ['telnyx']);
  try {
    const exportLines = () => t.app.logs.filter((l) => l.context === 'tracing' && /exporting spans/.test(String(l.msg)));
    // 400: a refusal the exporter does not retry.
    t.receiver.status = 400;
    for (let i = 0; i < 3; i++) {
      const before = t.receiver.exports.length;
      expect((await t.app.get(QUERY)).status).toBe(200);
      await until(() => t.receiver.exports.length > before);
    }
    t.receiver.status = 200;
    const before = t.receiver.exports.length;
    expect((await t.app.get(QUERY)).status).toBe(200);
    await until(() => t.receiver.exports.length > before && exportLines().length === 2);
    expect(exportLines().map((l) => [l.level, l.msg])).toEqual([
      ['warn', expect.stringContaining('tracing: exporting spans failed')],
      ['info', 'tracing: exporting spans works again'],
    ]);
    expect(t.app.logs.filter((l) => l.context === 'tracing').map((l) => l.msg)[0]).toBe(
      `tracing: exporting traces to ${t.receiver.url}/v1/traces (http/json, sampler parentbased_always_on, service.name numbers-gateway)`,
    );
  } finally {
    await t.release();
  }
});

it('sends protobuf by default, as the specification says', async () => {
  const t = await startTraced({ OTEL_EXPORTER_OTLP_PROTOCOL: '' }, ['telnyx']);
  try {
    const caller = callerContext();
    expect((await t.app.get(QUERY, { ...t.app.authHeaders, traceparent: caller.traceparent })).status).toBe(200);
    await t.finish();
    expect(t.receiver.exports.length).toBeGreaterThan(0);
    expect(t.receiver.exports.map((e) => e.headers['content-type'])).toEqual(t.receiver.exports.map(() => 'application/x-protobuf'));
    const body = Buffer.concat(t.receiver.exports.map((e) => e.body));
    // The binary encoding holds ids as raw bytes (`bytes trace_id`) and names as UTF-8: no hex ids.
    expect(body.includes(Buffer.from(caller.traceId, 'hex'))).toBe(true);
    expect(body.includes(Buffer.from('carrier telnyx'))).toBe(true);
    expect(body.includes(Buffer.from(caller.traceId))).toBe(false);
  } finally {
    await t.release();
  }
});

it('compresses exports with gzip and sends the configured headers when asked to', async () => {
  const t = await startTraced({ OTEL_EXPORTER_OTLP_TRACES_COMPRESSION: 'gzip', OTEL_EXPORTER_OTLP_HEADERS: 'x-scope=gateway%20tests' }, ['telnyx']);
  try {
    expect((await t.app.get(QUERY)).status).toBe(200);
    const spans = await t.finish();
    expect(t.receiver.exports[0].headers).toMatchObject({ 'content-encoding': 'gzip', 'x-scope': 'gateway tests' });
    expect(spans.map((s) => s.name)).toContain('GET /numbers/available');
  } finally {
    await t.release();
  }
});
