import { XMLParser, XMLValidator } from 'fast-xml-parser';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Schema = any;

/**
 * Reads an XML body into the value its OpenAPI schema describes, so that JSON Schema can check it. XML
 * carries no types and no arrays: the schema decides both. Element names map to properties by key or by
 * `xml.name`; an array is a wrapper element whose children are the items, as Bandwidth writes every list
 * (`<TelephoneNumberList><TelephoneNumber>…`); an item schema that is an object with one property named like
 * the child (Bandwidth's `TelephoneNumber: {TelephoneNumber: string}`) receives `{child: value}`. The root
 * element is either the schema's `xml.name` or one of its properties (Bandwidth's specs do both). Leaf values
 * stay strings: the caller validates with type coercion, as a server reading XML would.
 *
 * `undeclared` lists elements the schema does not declare (a misspelt `<SiteID>` that the carrier would ignore).
 */
export interface XmlReading {
  value: unknown;
  problems: string[];
  undeclared: string[];
}

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  isArray: () => true,
});

export function readXmlAgainstSchema(xml: string, schema: Schema, spec: Schema): XmlReading {
  const out: XmlReading = { value: undefined, problems: [], undeclared: [] };
  if (XMLValidator.validate(xml) !== true) {
    out.problems.push('the body is not well-formed XML');
    return out;
  }
  const doc = parser.parse(xml) as Record<string, unknown[]>;
  const roots = Object.keys(doc);
  if (roots.length !== 1 || doc[roots[0]].length !== 1) {
    out.problems.push('the body has no single root element');
    return out;
  }
  const root = roots[0];
  const s = view(schema, spec);
  if (s.xml?.name === root) {
    out.value = element(s, doc[root][0], `/${root}`, spec, out);
    return out;
  }
  const prop = property(s, root, spec);
  if (prop) {
    out.value = { [prop.name]: element(prop.schema, doc[root][0], `/${root}`, spec, out) };
    return out;
  }
  out.problems.push(`the root element <${root}> is not the one the schema describes`);
  return out;
}

/** A schema with $refs resolved and allOf / oneOf / anyOf branches merged, for reading (not for validating). */
function view(schema: Schema, spec: Schema, depth = 0): Schema {
  if (depth > 20 || schema === undefined || schema === null || typeof schema !== 'object' || Array.isArray(schema)) return {};
  if (schema.$ref) return view(resolve(spec, schema.$ref), spec, depth + 1);
  const branches = [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])].map((b: Schema) => view(b, spec, depth + 1));
  if (branches.length === 0) return schema;
  const properties = Object.assign({}, ...branches.map((b: Schema) => b.properties ?? {}), schema.properties ?? {});
  const type = schema.type ?? branches.find((b: Schema) => b.type)?.type;
  const xml = schema.xml ?? branches.find((b: Schema) => b.xml)?.xml;
  return { ...schema, type, xml, properties };
}

function isObjectSchema(s: Schema): boolean {
  return s.type === 'object' || (s.properties !== undefined && s.type === undefined);
}

function property(s: Schema, tag: string, spec: Schema): { name: string; schema: Schema } | undefined {
  const props = s.properties ?? {};
  for (const [name, raw] of Object.entries<Schema>(props)) {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) continue;
    const resolved = view(raw, spec);
    if ((raw.xml?.name ?? resolved.xml?.name ?? name) === tag || name === tag) return { name, schema: resolved };
  }
  return undefined;
}

function element(schema: Schema, node: unknown, path: string, spec: Schema, out: XmlReading): unknown {
  const s = view(schema, spec);
  if (!isObjectSchema(s)) return typeof node === 'object' && node !== null ? plain(node) : node;
  if (node === '' || node === undefined) return {};
  if (typeof node !== 'object' || node === null) return node; // text where elements were expected: the validator says so
  const value: Record<string, unknown> = {};
  for (const [tag, occurrences] of Object.entries(node as Record<string, unknown[]>)) {
    if (tag === '#text') {
      out.problems.push(`${path} holds text beside its elements`);
      continue;
    }
    const prop = property(s, tag, spec);
    if (!prop) {
      out.undeclared.push(`${path}/${tag}`);
      value[tag] = occurrences.length === 1 ? plain(occurrences[0]) : occurrences.map(plain);
      continue;
    }
    if (prop.schema.type === 'array') {
      if (occurrences.length > 1) out.problems.push(`${path}/${tag} appears ${occurrences.length} times (a list is one wrapper element)`);
      value[prop.name] = list(prop.schema, occurrences[0], `${path}/${tag}`, spec, out);
      continue;
    }
    if (occurrences.length > 1) out.problems.push(`${path}/${tag} is repeated`);
    value[prop.name] = element(prop.schema, occurrences[0], `${path}/${tag}`, spec, out);
  }
  return value;
}

function list(schema: Schema, wrapper: unknown, path: string, spec: Schema, out: XmlReading): unknown[] {
  if (wrapper === '' || wrapper === undefined) return [];
  if (typeof wrapper !== 'object' || wrapper === null) {
    out.problems.push(`${path} holds text instead of list items`);
    return [];
  }
  const items = view(schema.items ?? {}, spec);
  const result: unknown[] = [];
  for (const [tag, occurrences] of Object.entries(wrapper as Record<string, unknown[]>)) {
    const named = items.xml?.name === tag || (schema.items?.xml?.name ?? undefined) === tag;
    const member = !named && isObjectSchema(items) ? property(items, tag, spec) : undefined;
    for (const o of occurrences) {
      if (named || !isObjectSchema(items)) result.push(element(items, o, `${path}/${tag}`, spec, out));
      else if (member) result.push({ [member.name]: element(member.schema, o, `${path}/${tag}`, spec, out) });
      else out.undeclared.push(`${path}/${tag}`);
    }
  }
  return result;
}

/** A schema-less reading (for undeclared elements): single occurrences unwrapped. */
function plain(node: unknown): unknown {
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(
    Object.entries(node as Record<string, unknown[]>).map(([k, v]) => [k, Array.isArray(v) && v.length === 1 ? plain(v[0]) : Array.isArray(v) ? v.map(plain) : v]),
  );
}

function resolve(spec: Schema, ref: string): Schema {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce((n: Schema, k: string) => n?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], spec);
}
