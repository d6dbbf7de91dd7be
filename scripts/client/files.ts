/** The generated files of the client package, relative to its folder. */
export const DOCUMENT_FILE = 'openapi.json';
export const SCHEMA_FILE = 'src/schema.ts';

/** The document as it is committed: two-space JSON with a final newline, so a change shows as a readable diff. */
export function serialiseDocument(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
