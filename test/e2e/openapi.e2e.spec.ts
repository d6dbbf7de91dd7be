import fc from 'fast-check';
import { loadContract } from '../support/contract';
import { startApp, type RunningApp } from '../support/app';

/**
 * The served document must describe at least everything in the binding contract: same paths, parameter
 * names and constraints, status codes, headers and schemas. A drift in either file fails here.
 */
let app: RunningApp;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let served: any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const contract: any = loadContract();

beforeAll(async () => {
  app = await startApp();
  served = await (await app.get('/openapi.json', {})).json();
});
afterAll(() => app.close());

const CONSTRAINTS = ['type', 'pattern', 'enum', 'minimum', 'maximum', 'default', 'maxItems', 'required'] as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function resolve(doc: any, node: any): any {
  if (node && typeof node.$ref === 'string') {
    const path = node.$ref.replace(/^#\//, '').split('/');
    return resolve(doc, path.reduce((n: any, k: string) => n?.[k], doc));
  }
  return node;
}

/**
 * The served pattern accepts nothing the contract's refuses: the same pattern, or a stricter one (the
 * served countryCode lists the codes actually searchable instead of any two letters).
 */
function expectPatternRefines(contractPattern: string, servedPattern: string | undefined, where: string) {
  expect({ where, pattern: typeof servedPattern }).toEqual({ where, pattern: 'string' });
  if (servedPattern === contractPattern) return;
  const contractRe = new RegExp(contractPattern);
  const servedRe = new RegExp(servedPattern!);
  const escaped = fc.sample(fc.stringMatching(servedRe), 2000).filter((v) => !contractRe.test(v));
  expect({ where, acceptedOnlyByServed: escaped.slice(0, 5) }).toEqual({ where, acceptedOnlyByServed: [] });
}

/** Every constraint of the contract's schema holds in the served one, recursively. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function expectSchemaCovers(contractSchema: any, servedSchema: any, where: string) {
  const c = resolve(contract, contractSchema);
  const s = resolve(served, servedSchema);
  expect({ where, exists: s !== undefined }).toEqual({ where, exists: true });
  for (const key of CONSTRAINTS) {
    if (c[key] === undefined) continue;
    if (key === 'enum') expect({ where, key, value: s[key] }).toEqual({ where, key, value: expect.arrayContaining(c[key]) });
    else if (key === 'required') expect({ where, key, value: s[key] }).toEqual({ where, key, value: expect.arrayContaining(c[key]) });
    else if (key === 'pattern') expectPatternRefines(c[key], s[key], where);
    else expect({ where, key, value: s[key] }).toEqual({ where, key, value: c[key] });
  }
  for (const [name, prop] of Object.entries(c.properties ?? {})) {
    expectSchemaCovers(prop, s.properties?.[name], `${where}.${name}`);
  }
  if (c.items) expectSchemaCovers(c.items, s.items, `${where}[]`);
}

describe('GET /openapi.json against the contract', () => {
  it('is an OpenAPI document with the contract security schemes', () => {
    expect(served.openapi).toMatch(/^3\./);
    for (const [name, scheme] of Object.entries(contract.components.securitySchemes)) {
      expect(served.components.securitySchemes[name]).toMatchObject(scheme as object);
    }
    expect(served.security).toEqual(expect.arrayContaining(contract.security));
  });

  for (const [path, item] of Object.entries<any>(contract.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      describe(`${method.toUpperCase()} ${path}`, () => {
        it('exists with the same operationId', () => {
          expect(served.paths[path]?.[method]?.operationId).toBe(op.operationId);
        });

        it('has every parameter with the same location, requiredness and constraints', () => {
          const servedParams = served.paths[path][method].parameters as any[];
          for (const p of op.parameters) {
            const s = servedParams.find((x) => x.name === p.name);
            expect({ name: p.name, in: s?.in, required: Boolean(s?.required) }).toEqual({ name: p.name, in: p.in, required: Boolean(p.required) });
            expectSchemaCovers(p.schema, s.schema, `parameter ${p.name}`);
          }
        });

        it('lists every status code with its headers and schema', () => {
          const responses = served.paths[path][method].responses;
          for (const [status, response] of Object.entries<any>(op.responses)) {
            const s = responses[status];
            expect({ status, present: Boolean(s) }).toEqual({ status, present: true });
            for (const header of Object.keys(response.headers ?? {})) {
              expect({ status, header, present: Boolean(s.headers?.[header]) }).toEqual({ status, header, present: true });
            }
            const schema = response.content?.['application/json']?.schema;
            if (schema) expectSchemaCovers(schema, s.content['application/json'].schema, `response ${status}`);
          }
        });
      });
    }
  }

  it('defines every component schema of the contract', () => {
    for (const [name, schema] of Object.entries(contract.components.schemas)) {
      expectSchemaCovers(schema, served.components.schemas[name], `schema ${name}`);
    }
  });

  it('points at the service itself, relative to wherever it is served', () => {
    expect(served.servers).toEqual([expect.objectContaining({ url: '/' })]);
  });

  it('requires X-Tracking-Id on every response of every operation', () => {
    expect(served.components.headers.TrackingId).toMatchObject({ required: true, schema: { type: 'string' } });
    for (const [path, item] of Object.entries<any>(served.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        for (const [status, response] of Object.entries<any>(op.responses)) {
          expect({ path, method, status, header: response.headers?.['X-Tracking-Id'] }).toEqual({
            path,
            method,
            status,
            header: { $ref: '#/components/headers/TrackingId' },
          });
        }
      }
    }
  });

  it('describes the error body of each status with the codes it carries', () => {
    const responses = served.paths['/numbers/available'].get.responses;
    const codes: Record<string, string[]> = {
      400: ['validation_error'],
      401: ['unauthorized'],
      402: ['usage_limit_exceeded'],
      408: ['validation_error'],
      413: ['validation_error'],
      414: ['validation_error'],
      417: ['validation_error'],
      431: ['validation_error'],
      500: ['internal_error'],
      502: ['provider_error'],
      503: ['usage_unavailable'],
    };
    expect(Object.keys(responses).sort()).toEqual(['200', ...Object.keys(codes)].sort());
    for (const [status, expected] of Object.entries(codes)) {
      const schema = resolve(served, responses[status].content['application/json'].schema);
      expect({ status, codes: schema.properties.error.properties.code.enum }).toEqual({ status, codes: expected });
      expectSchemaCovers(contract.components.schemas.ErrorResponse, schema, `error body of ${status}`);
    }
    expect(responses['401'].headers['WWW-Authenticate']).toMatchObject({ required: true });
    expect(served.components.schemas.Error405.properties.error.properties.code.enum).toEqual(['method_not_allowed']);
  });

  it('describes the parameters as strictly as the service checks them', () => {
    const params = Object.fromEntries(served.paths['/numbers/available'].get.parameters.map((p: any) => [p.name, p.schema]));
    expect(new RegExp(params.features.pattern).test('sms,Voice')).toBe(true);
    for (const refused of ['', 'sms,', 'sms, voice', 'telepathy']) expect({ refused, ok: new RegExp(params.features.pattern).test(refused) }).toEqual({ refused, ok: false });
    expect(new RegExp(params.countryCode.pattern).test('AA')).toBe(false);
    expect(new RegExp(params.countryCode.pattern).test('AQ')).toBe(false);
    expect(new RegExp(params.countryCode.pattern).test('gB')).toBe(true);
    expect(params.phoneNumberType.enum).toEqual(['local', 'toll_free', 'mobile', 'national']);
  });

  it('serves the human-readable docs page', async () => {
    const res = await app.get('/docs', {});
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
  });
});
