import fc from 'fast-check';
import { OTHER_KEY, startApp, TEST_KEY, type RunningApp } from '../support/app';
import { queryString, reportedName, ServedOperation, type GeneratedRequest } from '../support/served-document';

/**
 * The served /openapi.json says what the service does: requests generated from the document's own
 * schemas (valid ones and violations, classified by ajv against the document, not by the generator)
 * get exactly the answer the document promises: 200 when it accepts the request, 400 naming every
 * parameter at fault when it does not, 401 without valid credentials; with a status the document
 * lists, a body that matches the schema it declares for that status, and X-Tracking-Id.
 */
let app: RunningApp;
let search: ServedOperation;

beforeAll(async () => {
  app = await startApp();
  const document = await (await app.get('/openapi.json', {})).json();
  search = new ServedOperation(document, '/numbers/available', 'get');
});
afterAll(() => app.close());

const credentials = fc.oneof(
  { weight: 12, arbitrary: fc.constant({ headers: { authorization: `Bearer ${TEST_KEY}` }, authentic: true }) },
  { weight: 4, arbitrary: fc.constant({ headers: { 'x-api-key': OTHER_KEY }, authentic: true }) },
  { weight: 1, arbitrary: fc.constant({ headers: { authorization: `Bearer ${TEST_KEY}`, 'x-api-key': TEST_KEY }, authentic: true }) },
  { weight: 1, arbitrary: fc.constant({ headers: {}, authentic: false }) },
  { weight: 1, arbitrary: fc.constant({ headers: { authorization: `Bearer ${TEST_KEY}`, 'x-api-key': 'k_test_not_a_key_000' }, authentic: false }) },
  { weight: 1, arbitrary: fc.constant({ headers: { authorization: `Bearer ${TEST_KEY}`, 'x-api-key': OTHER_KEY }, authentic: false }) },
);

async function answerMatchesDocument(request: GeneratedRequest, plus: boolean): Promise<void> {
  const qs = queryString(request.pairs, plus);
  const res = await fetch(`${app.url}/numbers/available?${qs}`, { headers: request.headers });
  const text = await res.text();
  const expected = search.verdict(request);
  const where = `?${qs} (${JSON.stringify(request.headers)}) → ${res.status} ${text.slice(0, 300)}`;
  if (res.status !== expected.status) throw new Error(`expected ${expected.status}: ${where}`);
  if (!(String(res.status) in search.responses)) throw new Error(`status not in the document: ${where}`);
  const body = JSON.parse(text);
  const problems = search.checkBody(res.status, body);
  if (problems.length > 0) throw new Error(`body does not match the document (${problems.join('; ')}): ${where}`);
  const trackingId = res.headers.get('x-tracking-id');
  if (!trackingId || (res.status !== 200 && body.trackingId !== trackingId)) throw new Error(`tracking id missing or different: ${where}`);
  if (expected.status === 400) {
    const reported = (body.error.details as { parameter: string }[]).map((d) => d.parameter).sort();
    const faulty = expected.parameters.map(reportedName).sort();
    if (JSON.stringify(reported) !== JSON.stringify(faulty)) throw new Error(`400 names ${reported} instead of ${faulty}: ${where}`);
    if (!body.error.fix) throw new Error(`400 without a fix: ${where}`);
  }
}

describe('GET /numbers/available against its served description', () => {
  it('answers every generated request as the document says', async () => {
    const outcomes = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(search.requests(credentials), fc.boolean(), async (request, plus) => {
        await answerMatchesDocument(request, plus);
        const status = search.verdict(request).status;
        outcomes.set(status, (outcomes.get(status) ?? 0) + 1);
      }),
      { numRuns: 2000 },
    );
    // Both sides of the document were exercised, not only refusals.
    expect(outcomes.get(200)).toBeGreaterThan(400);
    expect(outcomes.get(400)).toBeGreaterThan(400);
    expect(outcomes.get(401)).toBeGreaterThan(20);
  }, 60_000);

  it('accepts every countryCode the document accepts, in every case, and refuses the rest', async () => {
    const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    const codes = [...letters].flatMap((a) => [...letters].map((b) => `${a}${b}`));
    let accepted = 0;
    for (const code of codes) {
      const forms = [code, code.toLowerCase(), `${code[0]}${code[1].toLowerCase()}`];
      const documented = forms.map((f) => search.valueConforms('countryCode', f));
      expect({ code, documented: new Set(documented).size }).toEqual({ code, documented: 1 });
      const form = forms[accepted % forms.length];
      const res = await app.get(`/numbers/available?countryCode=${form}&limit=1`);
      await res.arrayBuffer();
      expect({ form, status: res.status }).toEqual({ form, status: documented[0] ? 200 : 400 });
      if (documented[0]) accepted++;
    }
    // The assigned codes with a numbering plan: 249 ISO codes and XK, less the 7 territories without one.
    expect(accepted).toBe(243);
  }, 60_000);
});
