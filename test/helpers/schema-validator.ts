// Validates generated values with ajv (a maintained JSON Schema validator), in the dialect of the
// OpenAPI version: draft-04 rules for 3.0 (boolean exclusiveMinimum), 2020-12 for 3.1.
import Ajv2020 from 'ajv/dist/2020';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';

/** (schema, value) → undefined when valid, else ajv's error text. */
export function validator(version: '3.0' | '3.1'): (schema: object, value: unknown) => string | undefined {
  const opts = { strict: false, allErrors: true };
  const ajv = version === '3.0' ? new AjvDraft04(opts) : new Ajv2020(opts);
  addFormats(ajv as never);
  // OpenAPI 3.0's `nullable` is not JSON Schema: strict: false ignores it, and the generator never makes null for it.
  return (schema, value) => (ajv.validate(schema, value) ? undefined : ajv.errorsText(ajv.errors));
}
