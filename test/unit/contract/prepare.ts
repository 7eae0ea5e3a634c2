// Everything the contract does before its first request: load, select, plan every body.
import { CHECK_NAMES } from '../../../src/contract/types';
import { findOperations, type SelectOptions } from '../../../src/contract/operations';
import { preflightPlan } from '../../../src/contract/plan';
import { loadOpenApi } from '../../../src/contract/spec-load';

export const SELECT: SelectOptions = { operations: 'all', only: [], keyHeader: 'Idempotency-Key', probes: {} };

export async function prepare(file: string, select = SELECT) {
  const spec = await loadOpenApi(file);
  const ops = findOperations(spec.resolved, file, select);
  preflightPlan(ops, CHECK_NAMES, { baseUrl: 'http://127.0.0.1:1', seed: 1, file });
  return { spec, ops };
}

