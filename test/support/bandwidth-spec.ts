import { parseBandwidthXml, xmlList, xmlText } from '../../src/providers/bandwidth/bandwidth.xml';
import type { OpenApiValidator } from './openapi-request-validator';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** One row of the search-type table in the description of Bandwidth's GetAvailableTns. */
export interface SpecSearchType {
  name: string;
  required: string[];
  combinational: string[];
  optional: string[];
}

/**
 * Reads the search-type table out of the operation's description, as the spec writes it: "rateCenter (state
 * required)" is the parameter rateCenter, "areaCode/npaNxx/npaNxxx" is any of the three. The table's one typo,
 * "enableTNdetails", is returned as written: the caller decides what to do with it.
 */
export function specSearchTypes(spec: OpenApiValidator): SpecSearchType[] {
  const description: string = spec.operationAt('/accounts/1/availableNumbers')?.description ?? '';
  const body = description.slice(description.indexOf('<tbody>'));
  return [...body.matchAll(/<tr>(.*?)<\/tr>/gs)].map((row) => {
    const [name, required, combinational, optional] = [...row[1].matchAll(/<td>(.*?)<\/td>/gs)].map((c) => c[1].replace(/\s+/g, ' ').trim());
    const names = (cell: string) =>
      cell
        .split(',')
        .map((x) => x.replace(/\(.*?\)/g, '').trim())
        .filter(Boolean)
        .flatMap((x) => x.split('/'));
    return { name, required: names(required), combinational: names(combinational), optional: names(optional) };
  });
}

/**
 * An XML answer of the emulator as the spec's schemas describe it, so ajv can check it: elements are found by the
 * schema's `xml.name` (or property name) and numbers converted where the schema says `integer`/`number` (XML has
 * no types). Returns the JSON pointer of the schema to check it against, and the value.
 */
export function specView(spec: OpenApiValidator, xml: string): { pointer: string; value: unknown } {
  const parsed = parseBandwidthXml(xml);
  if (!parsed.ok) throw new Error(`not XML: ${parsed.reason}`);
  const root = parsed.doc.value as any;
  const schemas = spec.node('#/components/schemas');
  const typed = (schema: any, text: string | undefined) =>
    text === undefined ? undefined : schema?.type === 'integer' || schema?.type === 'number' ? (/^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text) : text;
  if (parsed.doc.root === 'SearchResult' && root?.Error) {
    const error = xmlList(root.Error)[0] as any;
    const shape = schemas.SearchResultError.properties.Error.properties;
    return { pointer: '#/components/schemas/SearchResultErrorWrapper', value: { SearchResult: { Error: { Code: typed(shape.Code, xmlText(error.Code)), Description: xmlText(error.Description) } } } };
  }
  const [plain, detailed] = schemas.SearchResult.oneOf;
  if (root?.TelephoneNumberDetailList) {
    const detailSchema = schemas.telephoneNumberDetail.properties;
    const details = xmlList(root.TelephoneNumberDetailList.TelephoneNumberDetail).map((d: any) =>
      Object.fromEntries(
        Object.entries<any>(detailSchema)
          .map(([property, s]) => [property, typed(s, xmlText(d[s.xml?.name ?? property]))])
          .filter(([, v]) => v !== undefined),
      ),
    );
    return { pointer: '#/components/schemas/SearchResult/oneOf/1', value: { resultCount: typed(detailed.properties.resultCount, xmlText(root.ResultCount)), telephoneNumberDetailList: details } };
  }
  const numbers = xmlList(root?.TelephoneNumberList?.TelephoneNumber).map((n) => ({ TelephoneNumber: xmlText(n) }));
  return { pointer: '#/components/schemas/SearchResult/oneOf/0', value: { ResultCount: typed(plain.properties.ResultCount, xmlText(root?.ResultCount)), TelephoneNumberList: numbers } };
}
