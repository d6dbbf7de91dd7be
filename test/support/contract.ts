import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** The binding contract, as a parsed document. */
export const CONTRACT_PATH = join(__dirname, '..', '..', 'contract', 'numbers-api.openapi.yaml');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function loadContract(): any {
  return parse(readFileSync(CONTRACT_PATH, 'utf8'));
}

/** Validators for the contract's component schemas (ErrorResponse, AvailableNumbersResponse, ...). */
export function contractValidator(schemaName: string) {
  const contract = loadContract();
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'contract', components: contract.components }, 'contract');
  const validate = ajv.getSchema(`contract#/components/schemas/${schemaName}`);
  if (!validate) throw new Error(`no schema ${schemaName} in the contract`);
  return (value: unknown): string[] => (validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
}
