import { startEmulators, type EmulatorServer } from '../../emulators/index';
import { redactBody, redactCredential, redactPairs } from '../../emulators/core/redact';
import { PROVIDER_DEFINITIONS } from '../../src/providers/registry';
import { baseEnv, OTHER_KEY, startApp, type RunningApp } from '../support/app';
import { search, type SearchResult } from '../support/stack';

/**
 * Carriers that quote the request back: the echo_credentials fault puts each carrier's received
 * Authorization header, Basic user:password, Bearer token and credential fields into its own error body,
 * raw, base64, URL-encoded and JSON-escaped. None of it may reach the caller (the 502 body, its headers)
 * or the log. The secrets hold the characters that make those encodings differ from the raw value.
 */
const CREDENTIALS: Record<string, Record<string, string>> = {
  telnyx: { apiKey: 'KEY_real/se"cr\\et+Tx01' },
  twilio: { user: 'AC0123456789abcdef0123456789abcdef', password: 'tw/"tok\\en+é-Tw02' },
  vonage: { apiKey: 'a1b2c3d4', apiSecret: 'Vo/"sec\\ret+Vg03' },
  plivo: { authId: 'MAECHOTESTPLIVO00001', authToken: 'Pl/"tok\\en+Pv04-long-enough' },
  bandwidth: { accountId: '9900001', username: 'echo-bandwidth-user', password: 'Bw/"pa\\ss+Bw05<&>' },
  sinch: { projectId: 'echo-sinch-project', keyId: 'echo-sinch-key-id', keySecret: 'Si/"sec\\ret+Sn06' },
  signalwire: { user: '2f0a6c1e-3b4d-4e5f-8a9b-0c1d2e3f4a5b', password: 'Sw/"tok\\en+Sw07' },
};
const CARRIERS = Object.keys(CREDENTIALS);
const FORMS = ['raw', 'base64', 'url', 'json'] as const;
// Every carrier serves it (Bandwidth needs an area code).
const Q = 'countryCode=US&areaCode=415&limit=3';

let emu: EmulatorServer;
let app: RunningApp;
let env: Record<string, string>;

beforeAll(async () => {
  emu = await startEmulators({ credentials: CREDENTIALS });
  env = emu.env();
  app = await startApp(baseEnv({ ...env, CIRCUIT_BREAKER_THRESHOLD: '1000', LOG_LEVEL: 'info' }));
});
afterAll(async () => {
  await app.close();
  await emu.close();
});
beforeEach(() => emu.reset());

/**
 * Every configured secret, and every access token the service was issued (Sinch's, read from the
 * emulator's log as received), in every form a carrier may have echoed it in.
 */
function leakedForms(text: string): string[] {
  const secrets: string[] = [OTHER_KEY];
  for (const d of PROVIDER_DEFINITIONS) {
    for (const v of d.secretEnv) secrets.push(env[v]);
    if (d.basicAuthEnv) secrets.push(Buffer.from(`${env[d.basicAuthEnv[0]]}:${env[d.basicAuthEnv[1]]}`).toString('base64'));
  }
  const forms = secrets.flatMap((s) => {
    const json = JSON.stringify(s).slice(1, -1);
    return [s, Buffer.from(s).toString('base64'), Buffer.from(`Bearer ${s}`).toString('base64').slice(12, -4), encodeURIComponent(s), json, JSON.stringify(json).slice(1, -1)];
  });
  const leaked = forms.filter((f) => f.length >= 8 && text.includes(f));
  // Sinch's access tokens are issued per run and the emulator keeps only their fingerprints: they are JWTs, so
  // any JWT (raw, URL-encoded or JSON-escaped alike) or base64 of one ("eyJ" encodes as "ZXlK") is a leak.
  for (const m of text.matchAll(/eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]+|ZXlK[A-Za-z0-9+/]{16,}/g)) leaked.push(m[0]);
  return leaked;
}

function everythingSent(r: SearchResult): string {
  return `${[...r.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}\n${r.text}`;
}

describe.each(CARRIERS)('%s echoing the credentials it received', (carrier) => {
  beforeEach(() => {
    // Every other carrier fails too, so the answer is the 502 that lists each carrier's message.
    for (const other of CARRIERS) if (other !== carrier) emu.setBehaviour(other, { fault: { type: 'error', status: 503 } });
  });

  it.each(FORMS)('puts no secret into the 502 or the log when it echoes them %s', async (form) => {
    emu.setBehaviour(carrier, { fault: { type: 'echo_credentials', forms: [form] } });
    const logsBefore = app.rawLogs.length;
    const r = await search(app, Q);
    expect(r.status).toBe(502);
    const entry = (r.body.error.providers as { provider: string; code: string; message: string }[]).find((p) => p.provider === carrier);
    // The carrier's own message arrived (it was read from its error body), with the credentials cut out.
    expect(entry).toMatchObject({ code: 'auth_failed', message: expect.stringContaining('[REDACTED]') });
    expect(entry!.message).toContain(`${form}=`);
    expect(leakedForms(everythingSent(r))).toEqual([]);
    expect(leakedForms(app.rawLogs.slice(logsBefore).join('\n'))).toEqual([]);
  });

  it('puts no secret into the answer when it echoes every form at once (cut short by the message limit)', async () => {
    emu.setBehaviour(carrier, { fault: { type: 'echo_credentials' } });
    const r = await search(app, Q);
    expect(r.status).toBe(502);
    expect(leakedForms(everythingSent(r))).toEqual([]);
    // The carrier really did echo its credentials: its request log, as received, holds them.
    expect(emu.requests(carrier).some((req) => req.outcome === 'echo_credentials')).toBe(true);
  });
});

describe("Sinch's access token (issued at run time, not configured)", () => {
  it.each(FORMS)('is cut out of an error body echoing it %s before the adapter reads it', async (form) => {
    expect((await search(app, Q)).status).toBe(200); // the adapter now holds a token
    for (const other of CARRIERS) if (other !== 'sinch') emu.setBehaviour(other, { fault: { type: 'error', status: 503 } });
    // 400, not 401: a 401 would make the adapter drop its token and ask for a new one.
    emu.setBehaviour('sinch', { fault: { type: 'echo_credentials', status: 400, forms: [form] } });
    emu.clearRequests('sinch');
    const r = await search(app, Q);
    expect(r.status).toBe(502);
    expect(emu.requests('sinch').map((req) => req.headers.authorization?.split(' ')[0])).toEqual(['Bearer']);
    const entry = (r.body.error.providers as { provider: string; message: string }[]).find((p) => p.provider === 'sinch');
    expect(entry?.message).toContain(`${form}=`);
    expect(entry?.message).toContain('[REDACTED]');
    expect(leakedForms(everythingSent(r))).toEqual([]);
  });
});

describe('a partial answer', () => {
  it('names the echoing carrier in X-Provider-Errors without any of its text', async () => {
    emu.setBehaviour('telnyx', { fault: { type: 'echo_credentials' } });
    const r = await search(app, Q);
    expect(r.status).toBe(200);
    expect(r.headers.get('x-provider-errors')).toBe('telnyx=auth_failed');
    expect(leakedForms(everythingSent(r))).toEqual([]);
  });
});

describe('validation details', () => {
  it('never repeat a secret a caller sent as a parameter', async () => {
    const r = await search(app, `countryCode=US&areaCode=${encodeURIComponent(OTHER_KEY)}&features=${encodeURIComponent(env.TELNYX_API_KEY)}`);
    expect(r.status).toBe(400);
    expect(r.body.error.details.length).toBeGreaterThanOrEqual(2);
    expect(r.text).toContain('[REDACTED]');
    expect(leakedForms(everythingSent(r))).toEqual([]);
  });
});

describe("the emulators' request log over the control API", () => {
  it('shows no credential: Authorization, Basic pairs, tokens in bodies, credential query fields', async () => {
    expect((await search(app, Q)).status).toBe(200);
    const authorization = async (carrier: string) => {
      const log = (await (await fetch(`${emu.url}/_emulator/carriers/${carrier}/requests`)).json()) as { requests: { headers: Record<string, string> }[] };
      return log.requests.map((r) => r.headers.authorization);
    };
    // The scheme stays (Basic or Bearer says which auth the service used); the secret becomes a fingerprint.
    expect((await authorization('sinch')).every((h) => /^Bearer redacted:sha256:[0-9a-f]{12}$/.test(h))).toBe(true);
    const twilioAuth = await authorization('twilio');
    expect(twilioAuth).toHaveLength(1);
    expect(Buffer.from(twilioAuth[0].replace(/^Basic /, ''), 'base64').toString()).toMatch(/^AC[0-9a-f]+:redacted:sha256:[0-9a-f]{12}$/);
    for (const carrier of CARRIERS) {
      const text = JSON.stringify((await (await fetch(`${emu.url}/_emulator/carriers/${carrier}/requests`)).json()));
      expect({ carrier, leaked: leakedForms(text) }).toEqual({ carrier, leaked: [] });
    }
    // Query and form fields named like credentials keep their name, lose their value; others stay as sent.
    expect(redactPairs('country=US&api_key=a1b2c3d4&api_secret=Vo%2Fsecret')).toBe(`country=US&api_key=a1b2c3d4&api_secret=${redactCredential('Vo/secret')}`);
    expect(redactBody('grant_type=client_credentials&client_secret=s3cr3t', 'application/x-www-form-urlencoded')).toBe(
      `grant_type=client_credentials&client_secret=${redactCredential('s3cr3t')}`,
    );
    expect(redactBody('{"token":"abc","nested":{"password":"p"},"n":1}', 'application/json')).toBe(
      `{"token":"${redactCredential('abc')}","nested":{"password":"${redactCredential('p')}"},"n":1}`,
    );
  });
});
