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

  it('serves the human-readable docs page', async () => {
    const res = await app.get('/docs', {});
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
  });
});
