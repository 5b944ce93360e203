import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/** The bundled OpenAPI document that `npm run generate` writes. */
export const spec = JSON.parse(readFileSync(new URL('../../generated/openapi.json', import.meta.url), 'utf8'));

const SPEC_ID = 'https://swr-registries.local/openapi.json';
// ajv-formats is CommonJS; its default export arrives wrapped under some module settings.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  a: Ajv2020,
) => void;
/** An ajv for OpenAPI 3.1's schemas: JSON Schema 2020-12, the formats, and no complaint about `x-` keywords. */
export function createAjv(options: { allErrors?: boolean } = {}): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, ...options });
  addFormats(ajv);
  return ajv;
}

const ajv = createAjv({ allErrors: true });
ajv.addSchema({ ...spec, $id: SPEC_ID });

/** A JSON-Schema validator for a JSON pointer into the bundled spec, e.g. `#/components/schemas/Registry`. */
export function validatorFor(pointer: string): ValidateFunction {
  const validate = ajv.getSchema(`${SPEC_ID}${pointer}`);
  if (!validate) throw new Error(`no schema at ${pointer}`);
  return validate;
}

/** The validator of the response schema for one status of ListInstanceRegistries. */
export function responseValidator(status: number): ValidateFunction {
  const operation = spec.paths['/v2/{project_id}/instances/{instance_id}/registries'].get;
  const response = operation.responses[String(status)];
  if (!response) throw new Error(`status ${status} is not documented`);
  const ref: string = response.$ref ?? '';
  const pointer = ref
    ? `${ref}/content/application~1json/schema`
    : `#/paths/~1v2~1{project_id}~1instances~1{instance_id}~1registries/get/responses/${status}/content/application~1json/schema`;
  return validatorFor(pointer);
}
