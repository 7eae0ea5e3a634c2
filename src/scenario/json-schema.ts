// The JSON Schema of the scenario file (for editor completion), generated from the same zod schema.
import { z } from 'zod';
import { scenarioSchema } from './schema';

export function scenarioJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'doubletap scenario',
  };
}
