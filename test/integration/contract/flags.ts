// The commander defaults of `doubletap contract`, for tests that call the command function directly.
export const DEFAULT_FLAGS = { operations: 'all', concurrency: '5', keyHeader: 'Idempotency-Key', timeout: '10s', onStoreDown: 'fail-closed' };
