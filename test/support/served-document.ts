import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import fc from 'fast-check';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Schema = any;

/** A request drawn from the served document: query pairs in order, as sent, and the headers. */
export interface GeneratedRequest {
  pairs: [string, string][];
  headers: Record<string, string>;
  /** Whether the headers carry credentials that authenticate (the document cannot know which keys exist). */
  authentic: boolean;
}

/** What the served document promises for a request. */
export type Verdict = { status: 200 } | { status: 401 } | { status: 400; parameters: string[] };

/** Names that look like object properties, and near misses of the real names. */
const UNKNOWN_NAMES = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'prototype', 'length', 'area_code', 'country', 'CountryCode', 'limit[]', ''];
const LOOSE_VALUES = ['', ' ', '0', '-1', '51', '1.5', '1e1', '0x1', 'null', 'true', '[]', '{}', '%', 'NaN', 'undefined', '\u0000', 'ＵＳ', '٣'];

/**
 * Requests for one operation of the served OpenAPI document, and the oracle that says, from the document
 * alone, what the answer must be: every accepted request is a 200 and every violation a 400 naming the
 * parameters at fault. Parameters are generated from their schemas (pattern → fast-check's
 * stringMatching, enum, integer bounds), then often disturbed (spaces, signs, case, unknown or repeated
 * names) so both sides of every constraint are exercised; the oracle never trusts the generator's
 * intent, it validates what was actually sent with ajv.
 */
export class ServedOperation {
  readonly parameters: Schema[];
  readonly responses: Record<string, Schema>;
  private readonly ajv: Ajv2020;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly compiled = new WeakMap<object, ValidateFunction>();

  constructor(
    readonly document: Schema,
    readonly path: string,
    method: string,
  ) {
    const operation = document.paths[path][method];
    this.parameters = (operation.parameters ?? []).filter((p: Schema) => p.in === 'query');
    this.responses = operation.responses;
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: 'served', components: document.components }, 'served');
    for (const p of this.parameters) this.validators.set(p.name, this.compile(p.schema));
  }

  private compile(schema: Schema): ValidateFunction {
    let validate = this.compiled.get(schema);
    if (validate === undefined) this.compiled.set(schema, (validate = this.compileNew(schema)));
    return validate;
  }

  private compileNew(schema: Schema): ValidateFunction {
    const rewrite = (node: Schema): Schema => {
      if (Array.isArray(node)) return node.map(rewrite);
      if (node && typeof node === 'object') {
        return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? `served${v}` : rewrite(v)]));
      }
      return node;
    };
    return this.ajv.compile(rewrite(schema));
  }

  /** Validates a response body against the schema the document declares for its status. */
  checkBody(status: number, body: unknown): string[] {
    const response = this.responses[String(status)];
    const schema = response?.content?.['application/json']?.schema;
    if (!schema) return [`the document declares no JSON body for ${status}`];
    const validate = this.compile(schema);
    return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  }

  /**
   * Whether a query value, as the server receives it (a string), satisfies its parameter's schema. An
   * integer is accepted in the form an OpenAPI client writes it: plain decimal digits, as JSON does.
   */
  valueConforms(name: string, value: string): boolean {
    const p = this.parameters.find((x) => x.name === name);
    const validate = this.validators.get(name);
    if (!p || !validate) return false;
    if (p.schema.type === 'integer') return /^-?(?:0|[1-9][0-9]*)$/.test(value) && validate(Number(value));
    return validate(value);
  }

  /** The answer the document promises. Authentication comes first, then every parameter rule. */
  verdict(request: GeneratedRequest): Verdict {
    if (!request.authentic) return { status: 401 };
    const faulty = new Set<string>();
    const count = new Map<string, number>();
    for (const [name] of request.pairs) count.set(name, (count.get(name) ?? 0) + 1);
    for (const [name, n] of count) {
      if (!this.parameters.some((p) => p.name === name) || n > 1) faulty.add(name);
    }
    for (const p of this.parameters) {
      const values = request.pairs.filter(([name]) => name === p.name).map(([, v]) => v);
      if (values.length === 0 && p.required) faulty.add(p.name);
      if (values.length === 1 && !this.valueConforms(p.name, values[0])) faulty.add(p.name);
    }
    return faulty.size === 0 ? { status: 200 } : { status: 400, parameters: [...faulty] };
  }

  /** A value meant to conform to the parameter's schema. */
  private validValue(schema: Schema): fc.Arbitrary<string> {
    if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum.map(String));
    if (schema.type === 'integer') return fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000 }).map(String);
    if (typeof schema.pattern === 'string') return fc.stringMatching(new RegExp(schema.pattern));
    return fc.string({ maxLength: 20 });
  }

  /** A value drawn near the valid ones, or anywhere: the oracle sorts them. */
  private disturbedValue(schema: Schema): fc.Arbitrary<string> {
    const valid = this.validValue(schema);
    return fc.oneof(
      valid.map((v) => ` ${v}`),
      valid.map((v) => `${v} `),
      valid.map((v) => `+${v}`),
      valid.map((v) => `0${v}`),
      valid.map((v) => v.toUpperCase()),
      valid.map((v) => v.toLowerCase()),
      valid.map((v) => `${v}${v}`),
      valid.map((v) => v.slice(1)),
      valid.map((v) => `${v},`),
      valid.map((v) => `${v}.0`),
      fc.constantFrom(...LOOSE_VALUES),
      fc.integer({ min: -1000, max: 1000 }).map(String),
      fc.string({ unit: 'grapheme', maxLength: 12 }),
    );
  }

  /**
   * Requests for the operation: each declared parameter present or not (a required one almost always),
   * its value mostly valid; sometimes an unknown name or a repeated parameter; credentials mostly valid.
   */
  requests(credentials: fc.Arbitrary<{ headers: Record<string, string>; authentic: boolean }>): fc.Arbitrary<GeneratedRequest> {
    const perParameter = this.parameters.map((p) =>
      fc.option(
        fc.oneof({ weight: 4, arbitrary: this.validValue(p.schema) }, { weight: 1, arbitrary: this.disturbedValue(p.schema) }).map((v) => [p.name, v] as [string, string]),
        { freq: p.required ? 20 : 2, nil: undefined },
      ),
    );
    const extra = sometimes(fc.tuple(fc.oneof(fc.constantFrom(...UNKNOWN_NAMES), fc.string({ maxLength: 8 })), fc.string({ maxLength: 8 })), 15);
    return fc
      .tuple(fc.tuple(...perParameter), extra, sometimes(fc.nat(), 10), credentials)
      .map(([chosen, unknown, repeat, auth]) => {
        const pairs = chosen.filter((x): x is [string, string] => x !== undefined);
        if (unknown) pairs.push(unknown);
        if (repeat !== undefined && pairs.length > 0) pairs.push(pairs[repeat % pairs.length]);
        return { pairs, headers: auth.headers, authentic: auth.authentic };
      });
  }
}

/** The arbitrary's value in `percent` of the draws, undefined otherwise. */
function sometimes<T>(arbitrary: fc.Arbitrary<T>, percent: number): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: 100 - percent, arbitrary: fc.constant(undefined) }, { weight: percent, arbitrary });
}

/** The query string of a request, encoded the way clients do (and sometimes with + for spaces). */
export function queryString(pairs: readonly [string, string][], plusForSpace = false): string {
  const enc = (s: string) => (plusForSpace ? encodeURIComponent(s).replace(/%20/g, '+') : encodeURIComponent(s));
  return pairs.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
}

/** The name a 400 reports for a parameter (long names are shortened in `details`). */
export function reportedName(name: string): string {
  return name.length > 40 ? `${name.slice(0, 40)}…` : name;
}
