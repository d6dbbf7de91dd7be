import Ajv, { type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { LoggedRequest } from '../../emulators/core/server';
import { readXmlAgainstSchema } from './xml-to-schema';

/** The carriers' official operations, extracted (test/fixtures/carrier-specs/README.md names each source). */
export const PROVIDER_SPECS = join(__dirname, '..', 'fixtures', 'carrier-specs');

/** A known defect of an official spec, tolerated by name: the carrier's own examples break its schema. */
export interface KnownDefect {
  name: string;
  /** Matches the ajv error's instancePath. */
  instancePath: RegExp;
  keyword: string;
}

/**
 * A query parameter a carrier accepts beyond its spec, tolerated by name (e.g. SignalWire's `PageSize`, which the
 * Twilio-compatible API takes but its spec does not declare). Everything else undeclared is still an error.
 */
export interface KnownExtraParameter {
  name: string;
  parameter: string;
}

export interface ValidatorOptions {
  /** Known defects of the spec's response schemas. */
  defects?: KnownDefect[];
  extraParameters?: KnownExtraParameter[];
  /**
   * Replaces the spec's security requirement: for a spec whose declared scheme the carrier has since replaced
   * (Vonage's 2020 spec declares query credentials; its current spec and SDK use Basic).
   */
  security?: { name: string; scheme: Record<string, unknown> };
}

/* eslint-disable @typescript-eslint/no-explicit-any */
type Schema = any;

export interface RequestCheck {
  errors: string[];
  /** Names of the known extra parameters this request used. */
  tolerated: string[];
}

export interface ResponseCheck {
  /** Schema violations, known defects excluded. */
  errors: string[];
  /** Names of the known defects this body hit (so a test can prove each one is real and tolerated). */
  tolerated: string[];
}

/** Custom formats of the official specs that no schema validator (nor Prism) can check: accepted. */
const OPAQUE_FORMATS = [
  'iso-country-code', 'phone-number', 'phone-number-capabilities', 'int64', 'int32', 'date-time-rfc-2822', 'currency', 'decimal',
  'http-method', 'datetime',
];

/**
 * Checks a request (as the emulator logged it) against the official OpenAPI operation: path template and
 * path parameters, every query parameter's schema (including Telnyx's deepObject `filter`, read the way
 * its clients send it: literal or encoded brackets, comma, [] or repeated arrays), required parameters,
 * undeclared parameters, the security scheme, and the request body: its content type, and its fields against
 * the declared schema, whether a form (Twilio, Vonage), JSON, or XML (Bandwidth, read by xml-to-schema.ts).
 * Also checks response bodies (JSON or XML) against the schemas.
 *
 * Stricter than the spec (and than Prism) on purpose, because the carriers silently ignore what they do
 * not know (telnyx-twilio.md §1.3, §2.5 quirk 7): a query parameter the operation does not declare, a
 * property of a deepObject its schema does not declare, and a deepObject sent without brackets are errors.
 * Parameter names are compared case-sensitively (Prism does not).
 */
export class OpenApiValidator {
  private readonly spec: Schema;
  /** Query and path values are strings on the wire: coerced to the schema's type, as a server would. */
  private readonly queryAjv: Ajv;
  /** JSON bodies carry their own types: no coercion, so `"19.72"` is not a number. */
  private readonly bodyAjv: Ajv;
  private readonly basePath: string;
  /** Compiling is the slow part: one validator per (ajv, schema object). */
  private readonly compiled = new Map<Ajv, WeakMap<object, ValidateFunction>>();

  private readonly defects: KnownDefect[];
  private readonly extraParameters: KnownExtraParameter[];

  constructor(file: string, options: KnownDefect[] | ValidatorOptions = {}) {
    const { defects = [], extraParameters = [], security } = Array.isArray(options) ? { defects: options } : options;
    this.defects = defects;
    this.extraParameters = extraParameters;
    this.spec = parse(readFileSync(join(PROVIDER_SPECS, file), 'utf8'));
    if (security) {
      this.spec.components.securitySchemes = { ...this.spec.components.securitySchemes, [security.name]: security.scheme };
      this.spec.security = [{ [security.name]: [] }];
    }
    this.queryAjv = this.newAjv(true);
    this.bodyAjv = this.newAjv(false);
    this.basePath = new URL(serverUrl(this.spec.servers?.[0])).pathname.replace(/\/$/, '');
  }

  private newAjv(coerceTypes: boolean): Ajv {
    const is31 = String(this.spec.openapi).startsWith('3.1');
    const ajv = is31 ? new Ajv2020({ strict: false, allErrors: true, coerceTypes }) : new Ajv({ strict: false, allErrors: true, coerceTypes });
    addFormats(ajv);
    for (const f of OPAQUE_FORMATS) ajv.addFormat(f, true);
    ajv.addSchema({ ...this.spec, $id: 'spec' }, 'spec');
    return ajv;
  }

  private operation(path: string, method = 'GET'): { template: string; op: Schema; params: Record<string, string> } | undefined {
    const local = this.basePath && path.startsWith(this.basePath) ? path.slice(this.basePath.length) : path;
    const verb = method.toLowerCase();
    // Literal templates first: `/IncomingPhoneNumbers/Local.json` is not the `{Sid}.json` of the same folder.
    const templates = Object.entries<Schema>(this.spec.paths).sort(([a], [b]) => Number(a.includes('{')) - Number(b.includes('{')));
    for (const [template, item] of templates) {
      const names: string[] = [];
      const re = new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{([^}]+)\}/g, (_m, n: string) => (names.push(n), '([^/]+)'))}$`);
      const m = re.exec(local);
      if (m && item[verb]) return { template, op: item[verb], params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1])])) };
    }
    return undefined;
  }

  private compile(ajv: Ajv, schema: Schema): ValidateFunction {
    let cache = this.compiled.get(ajv);
    if (!cache) this.compiled.set(ajv, (cache = new WeakMap()));
    let validate = cache.get(schema);
    if (!validate) cache.set(schema, (validate = ajv.compile(this.wrap(schema))));
    return validate;
  }

  private validateValue(schema: Schema, value: unknown, where: string): string[] {
    const validate = this.compile(this.queryAjv, schema);
    const holder = { v: value };
    return validate(holder) ? [] : (validate.errors ?? []).map((e) => `${where}${e.instancePath.replace(/^\/v/, '')} ${e.message}`);
  }

  /** Wraps a parameter schema (which may use spec-relative $refs) so ajv resolves them against the spec. */
  private wrap(schema: Schema): Schema {
    const rewrite = (node: Schema): Schema => {
      if (Array.isArray(node)) return node.map(rewrite);
      if (node && typeof node === 'object') {
        return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.startsWith('#') ? `spec${v}` : rewrite(v)]));
      }
      return node;
    };
    return { type: 'object', properties: { v: rewrite(schema) } };
  }

  validateRequest(req: Pick<LoggedRequest, 'path' | 'rawQuery' | 'headers'> & Partial<Pick<LoggedRequest, 'method' | 'body'>>): string[] {
    return this.checkRequest(req).errors;
  }

  /** A request against the operation, known extra parameters excluded (and named in `tolerated`); its body too. */
  checkRequest(req: Pick<LoggedRequest, 'path' | 'rawQuery' | 'headers'> & Partial<Pick<LoggedRequest, 'method' | 'body'>>): RequestCheck {
    const method = req.method ?? 'GET';
    const found = this.operation(req.path, method);
    if (!found) return { errors: [`no operation of the spec matches ${method} ${req.path}`], tolerated: [] };
    const errors: string[] = [];
    const tolerated = new Set<string>();
    // Parameters may be $refs to components (Vonage, SignalWire).
    const declared = ((found.op.parameters ?? []) as Schema[]).map((p) => (p?.$ref ? resolve(this.spec, p.$ref) : p));
    for (const p of declared.filter((x) => x.in === 'path')) {
      errors.push(...this.validateValue(p.schema, found.params[p.name], `path ${p.name}`));
    }
    const pairs = [...new URLSearchParams(req.rawQuery)];
    const used = new Set<string>();
    for (const p of declared.filter((x) => x.in === 'query')) {
      if (p.style === 'deepObject') {
        const mine = pairs.filter(([k]) => k === p.name || k.startsWith(`${p.name}[`));
        mine.forEach(([k]) => used.add(k));
        if (mine.length === 0) {
          if (p.required) errors.push(`query ${p.name} is required`);
          continue;
        }
        const { value, problems } = deepObject(p.name, mine, p.schema, this.spec);
        errors.push(...problems.map((x) => `query ${x}`));
        errors.push(...this.validateValue(p.schema, value, `query ${p.name}`));
        continue;
      }
      const values = pairs.filter(([k]) => k === p.name).map(([, v]) => v);
      if (values.length === 0) {
        if (p.required) errors.push(`query ${p.name} is required`);
        continue;
      }
      used.add(p.name);
      if (values.length > 1 && p.schema?.type !== 'array') errors.push(`query ${p.name} is repeated`);
      errors.push(...this.validateValue(p.schema, p.schema?.type === 'array' ? values : values[0], `query ${p.name}`));
    }
    errors.push(...this.checkCredentials(found.op, pairs, req.headers, used));
    for (const [k] of pairs) {
      if (used.has(k)) continue;
      const extra = this.extraParameters.find((x) => x.parameter === k);
      if (extra) tolerated.add(extra.name);
      else errors.push(`query ${k} is not a parameter of ${found.template}`);
    }
    errors.push(...this.validateBody(found.op, req.headers['content-type'], req.body ?? ''));
    return { errors, tolerated: [...tolerated].sort() };
  }

  /**
   * The security requirements: any one requirement object, every scheme of it (OpenAPI's OR of ANDs). Query
   * credentials (an apiKey scheme `in: query`) are the scheme's, not undeclared parameters.
   */
  private checkCredentials(op: Schema, pairs: [string, string][], headers: LoggedRequest['headers'], used: Set<string>): string[] {
    const requirements = (op.security ?? this.spec.security ?? []) as Record<string, unknown>[];
    if (requirements.length === 0) return [];
    const schemes = (this.spec.components?.securitySchemes ?? {}) as Record<string, Schema>;
    for (const s of Object.values(schemes)) if (s.type === 'apiKey' && s.in === 'query') used.add(s.name);
    const auth = String(headers.authorization ?? '');
    // HTTP authentication scheme names are case-insensitive (RFC 9110 §11.1): SignalWire declares `Basic`.
    const satisfied = (name: string): boolean => {
      const s = schemes[name];
      const scheme = String(s?.scheme ?? '').toLowerCase();
      if (s?.type === 'http' && scheme === 'basic') return /^Basic [A-Za-z0-9+/=]+$/.test(auth);
      if ((s?.type === 'http' && scheme === 'bearer') || s?.type === 'oauth2') return /^Bearer \S+$/.test(auth);
      if (s?.type === 'apiKey' && s.in === 'query') return pairs.some(([k, v]) => k === s.name && v !== '');
      if (s?.type === 'apiKey' && s.in === 'header') return headers[String(s.name).toLowerCase()] !== undefined;
      return true;
    };
    if (requirements.some((r) => Object.keys(r).every(satisfied))) return [];
    const describe = (name: string) => {
      const s = schemes[name] ?? {};
      return s.type === 'apiKey' ? `apiKey ${s.name} in ${s.in}` : `${s.type}/${s.scheme ?? s.type}`;
    };
    return [`authorization does not satisfy ${requirements.map((r) => Object.keys(r).map(describe).join(' + ')).join(' or ')}`];
  }

  /** A body against any schema of the spec, by JSON pointer (`#/components/schemas/SearchResult/oneOf/1`). */
  checkAt(pointer: string, body: unknown): ResponseCheck {
    const schema = resolve(this.spec, pointer);
    if (schema === undefined) return { errors: [`the spec has nothing at ${pointer}`], tolerated: [] };
    return this.checkBody(schema, body);
  }

  /** A node of the parsed spec by JSON pointer, for tests that read what the spec says (schemas, prose). */
  node(pointer: string): Schema {
    return resolve(this.spec, pointer);
  }

  /** The parsed spec, read-only: for tests that read what it says in prose (Bandwidth's search-type table). */
  operationAt(path: string, method = 'GET'): Schema | undefined {
    return this.operation(path, method)?.op;
  }

  /** The request body against the operation's requestBody: content type, then fields (stricter: undeclared ones). */
  private validateBody(op: Schema, rawType: string | string[] | undefined, body: string): string[] {
    let requestBody = op.requestBody;
    if (requestBody?.$ref) requestBody = resolve(this.spec, requestBody.$ref);
    if (!requestBody) return body === '' ? [] : ['the operation takes no body, but one was sent'];
    if (body === '') return requestBody.required ? ['the body is required'] : [];
    const type = String(rawType ?? '').split(';')[0].trim().toLowerCase();
    const declared = Object.keys(requestBody.content ?? {});
    if (!declared.includes(type)) return [`content-type ${type || '(none)'} is not one of ${declared.join(', ')}`];
    const schema = requestBody.content[type].schema;
    if (type === 'application/x-www-form-urlencoded') {
      const fields: Record<string, string | string[]> = {};
      for (const [k, v] of new URLSearchParams(body)) fields[k] = k in fields ? ([] as string[]).concat(fields[k], v) : v;
      const props = resolveDeep(this.spec, schema).properties ?? {};
      const undeclared = Object.keys(fields).filter((k) => !(k in props)).map((k) => `form field ${k} is not a field of the body`);
      return [...undeclared, ...this.validateValue(schema, fields, 'form')];
    }
    if (type.includes('json')) {
      let value: unknown;
      try {
        value = JSON.parse(body) as unknown;
      } catch {
        return ['the body is not JSON'];
      }
      return this.checkBody(schema, value).errors.map((e) => `body ${e}`);
    }
    if (type.includes('xml')) {
      const reading = readXmlAgainstSchema(body, schema, this.spec);
      return [
        ...reading.problems.map((p) => `xml ${p}`),
        ...reading.undeclared.map((u) => `xml ${u} is not an element of the body`),
        ...this.checkBody(schema, reading.value, this.queryAjv).errors.map((e) => `xml ${e}`),
      ];
    }
    return [`content-type ${type} is not checked by this validator`];
  }

  validateResponse(path: string, status: number, body: unknown, method = 'GET'): string[] {
    return this.checkResponse(path, status, body, method).errors;
  }

  /**
   * A response body against the schema the operation declares for that status: JSON as parsed, or an XML
   * text (for operations that declare application/xml only), read as xml-to-schema.ts describes.
   */
  checkResponse(path: string, status: number, body: unknown, method = 'GET'): ResponseCheck {
    const found = this.operation(path, method);
    if (!found) return { errors: [`no operation of the spec matches ${method} ${path}`], tolerated: [] };
    let response = found.op.responses?.[String(status)];
    if (response?.$ref) response = resolve(this.spec, response.$ref);
    if (!response) return { errors: [`the spec declares no ${status} answer`], tolerated: [] };
    const json = response.content?.['application/json']?.schema;
    if (json) return this.checkBody(json, body);
    const xml = response.content?.['application/xml']?.schema;
    if (xml && typeof body === 'string') {
      const reading = readXmlAgainstSchema(body, xml, this.spec);
      const check = this.checkBody(xml, reading.value, this.queryAjv);
      return { errors: [...reading.problems, ...check.errors], tolerated: check.tolerated };
    }
    return { errors: [`the spec declares no ${xml ? 'XML' : 'JSON'} body for ${status}`], tolerated: [] };
  }

  /** A body against one of the spec's component schemas (e.g. an error body for a status the operation omits). */
  checkComponent(name: string, body: unknown): ResponseCheck {
    return this.checkBody(this.spec.components.schemas[name], body);
  }

  /** Without coercion for JSON; with it for XML, whose values are all text on the wire. */
  private checkBody(schema: Schema, body: unknown, ajv: Ajv = this.bodyAjv): ResponseCheck {
    const validate = this.compile(ajv, schema);
    if (validate({ v: body })) return { errors: [], tolerated: [] };
    const errors: string[] = [];
    const tolerated = new Set<string>();
    for (const raw of validate.errors ?? []) {
      const e = { ...raw, instancePath: raw.instancePath.replace(/^\/v/, '') };
      const defect = this.defects.find((d) => d.keyword === e.keyword && d.instancePath.test(e.instancePath));
      if (defect) tolerated.add(defect.name);
      else errors.push(`${e.instancePath || '/'} ${e.message}`);
    }
    // Every branch of a oneOf reports the same error once.
    return { errors: [...new Set(errors)], tolerated: [...tolerated].sort() };
  }
}

/** A server's URL with its variables at their defaults (`https://{space_name}.signalwire.com/...`). */
function serverUrl(server: Schema): string {
  if (!server?.url) return 'http://x';
  return String(server.url).replace(/\{([^}]+)\}/g, (_m: string, name: string) => String(server.variables?.[name]?.default ?? name));
}

/** A schema with its top-level $ref followed (to list a form body's declared fields). */
function resolveDeep(spec: Schema, schema: Schema): Schema {
  let s = schema;
  for (let i = 0; i < 10 && s?.$ref; i++) s = resolve(spec, s.$ref);
  return s ?? {};
}

function resolve(spec: Schema, ref: string): Schema {
  return ref.replace(/^#\//, '').split('/').reduce((n: Schema, k: string) => n?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], spec);
}

/**
 * Rebuilds a deepObject parameter from `name[a][b]=v` pairs; arrays from comma, `[]` and repeated forms.
 * Reports keys that are not in deepObject form or name a property the schema does not declare.
 */
function deepObject(name: string, pairs: [string, string][], schema: Schema, spec: Schema): { value: Schema; problems: string[] } {
  const root: Schema = {};
  const problems: string[] = [];
  const deref = (x: Schema): Schema => (x?.$ref ? resolve(spec, x.$ref) : x);
  for (const [key, value] of pairs) {
    const path = [...key.slice(name.length).matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]);
    if (path.length === 0) {
      problems.push(`${key} is not in deepObject form (${name}[property]=value)`);
      continue;
    }
    let node = root;
    let nodeSchema = deref(schema);
    for (let i = 0; i < path.length; i++) {
      const k = path[i];
      if (k === '') break; // `[]` array form
      const propSchema = deref(nodeSchema?.properties?.[k]);
      if (nodeSchema?.properties && !propSchema) {
        problems.push(`${key}: ${k} is not a property of ${name}`);
        break;
      }
      const last = i === path.length - 1 || path[i + 1] === '';
      if (last) {
        if (propSchema?.type === 'array') node[k] = [...(node[k] ?? []), ...value.split(',')];
        else if (node[k] !== undefined) node[k] = [].concat(node[k], value as never);
        else node[k] = value;
        break;
      }
      node[k] = node[k] ?? {};
      node = node[k];
      nodeSchema = propSchema;
    }
  }
  return { value: root, problems };
}
