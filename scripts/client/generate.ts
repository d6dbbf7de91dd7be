import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DOCUMENT_FILE, SCHEMA_FILE, serialiseDocument } from './files';
import { renderSchema } from './render-schema';

/**
 * `npm run client:generate`: writes client/openapi.json (what the service serves at GET /openapi.json) and
 * client/src/schema.ts (its types). Both are committed; a test fails while either is out of date.
 *
 *   --document <file>  render a document saved earlier instead of starting the service
 *   --out <dir>        write into <dir> instead of client/ (the tests generate into a temporary folder)
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { document: { type: 'string' }, out: { type: 'string' } } });
  const out = resolve(values.out ?? join(__dirname, '..', '..', 'client'));
  const document = values.document
    ? (JSON.parse(await readFile(values.document, 'utf8')) as unknown)
    : // Loaded only when needed: rendering a saved document does not start the service.
      await (await import('./served-document')).fetchServedDocument();

  const files: [string, string][] = [
    [join(out, DOCUMENT_FILE), serialiseDocument(document)],
    [join(out, SCHEMA_FILE), await renderSchema(document)],
  ];
  for (const [file, text] of files) {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text);
    process.stdout.write(`wrote ${relative(process.cwd(), file) || file}\n`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`client generation failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
