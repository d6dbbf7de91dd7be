import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { BandwidthXmlError } from './bandwidth.types';

/**
 * Bandwidth answers XML only (vonage-…-sinch.md §3.1). The parser is configured so that a hostile or
 * broken body cannot hurt us: no entity processing at all (no DOCTYPE entity can expand, so no "billion
 * laughs"), and any body that declares a DOCTYPE or ENTITY is refused before parsing, since Bandwidth
 * never sends one. The five predefined XML entities and numeric references are decoded by hand, once,
 * without recursion. List members are always arrays: naive XML→JSON turns a one-element list into a
 * scalar (§3.6 quirk 1, [BW-ISS-PHP46]).
 */
const LIST_MEMBERS: ReadonlySet<string> = new Set(['TelephoneNumber', 'TelephoneNumberDetail', 'Error', 'Errors']);

const parser = new XMLParser({
  processEntities: false,
  htmlEntities: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (tagName) => LIST_MEMBERS.has(tagName),
});

export type XmlDocument = { root: string; value: unknown };

export type XmlParseResult = { ok: true; doc: XmlDocument } | { ok: false; reason: string };

export function parseBandwidthXml(body: string): XmlParseResult {
  const text = body.trim();
  if (text === '') return { ok: false, reason: 'an empty body' };
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) return { ok: false, reason: 'a DOCTYPE or ENTITY declaration, which is refused' };
  if (XMLValidator.validate(text) !== true) return { ok: false, reason: 'a body that is not well-formed XML' };
  let parsed: unknown;
  try {
    parsed = parser.parse(text);
  } catch {
    return { ok: false, reason: 'a body that is not well-formed XML' };
  }
  if (typeof parsed !== 'object' || parsed === null) return { ok: false, reason: 'a body without a root element' };
  const roots = Object.keys(parsed);
  if (roots.length !== 1) return { ok: false, reason: 'a body without a single root element' };
  return { ok: true, doc: { root: roots[0], value: (parsed as Record<string, unknown>)[roots[0]] } };
}

const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes predefined and numeric character references in one pass; anything else stays literal. */
export function decodeXmlText(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[ref] ?? whole;
  });
}

/** A text node as a trimmed, decoded string; a list's first member; undefined for anything else or blank. */
export function xmlText(v: unknown): string | undefined {
  const value = Array.isArray(v) ? v[0] : v;
  if (typeof value !== 'string') return undefined;
  const t = decodeXmlText(value).trim();
  return t === '' ? undefined : t;
}

/** A list member's values, whether the parser produced an array, a single value or nothing. */
export function xmlList(v: unknown): unknown[] {
  if (v === undefined || v === null || v === '') return [];
  return Array.isArray(v) ? v : [v];
}

/** Bandwidth's SDK lower-cases the first letter of every tag before matching (§3.4, [BW-NODE]). */
const sameTag = (key: string, name: string) => key.charAt(0).toLowerCase() + key.slice(1) === name;

const MAX_DEPTH = 16;

function findFirst(node: unknown, name: string, depth = 0): unknown {
  if (depth > MAX_DEPTH || typeof node !== 'object' || node === null) return undefined;
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = findFirst(item, name, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const [k, v] of Object.entries(node)) {
    if (sameTag(k, name)) return v;
    const found = findFirst(v, name, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

function codeAndDescription(element: unknown): BandwidthXmlError {
  const first = xmlList(element)[0];
  if (typeof first !== 'object' || first === null) return {};
  const o = first as Record<string, unknown>;
  const pick = (name: string) => xmlText(Object.entries(o).find(([k]) => sameTag(k, name))?.[1]);
  return { code: pick('code'), description: pick('description') };
}

/**
 * The error a Bandwidth XML body carries, in the order Bandwidth's Node SDK looks (§3.4): ErrorCode +
 * Description, then Error/Code + Description, then Errors (the first of the list), then ResultCode +
 * ResultMessage. A code of "0" is success. Errors may come inside a 200 (the SDK checks every body).
 */
export function findBandwidthError(doc: XmlDocument): BandwidthXmlError | undefined {
  const tree = { [doc.root]: doc.value };
  let found: BandwidthXmlError = {};
  const errorCode = xmlText(findFirst(tree, 'errorCode'));
  if (errorCode !== undefined) {
    found = { code: errorCode, description: xmlText(findFirst(tree, 'description')) };
  } else if (findFirst(tree, 'error') !== undefined) {
    found = codeAndDescription(findFirst(tree, 'error'));
  } else if (findFirst(tree, 'errors') !== undefined) {
    found = codeAndDescription(findFirst(tree, 'errors'));
  } else {
    found = { code: xmlText(findFirst(tree, 'resultCode')), description: xmlText(findFirst(tree, 'resultMessage')) };
  }
  if (found.code === undefined || found.code === '0') return undefined;
  return found;
}
