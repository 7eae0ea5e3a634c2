// Names a scenario may not use where they become object keys or key paths (probe names, rule names,
// key-reuse `change.field` segments): through them a scenario could reach Object.prototype
// (`__proto__.x` polluted every object and crashed the proxy) or read inherited members (`toString`
// "exists" as a probe in every object), and produce nonsense verdicts.
const RESERVED = new Set<string>(['__proto__', 'constructor', 'prototype', ...Object.getOwnPropertyNames(Object.prototype)]);

export function isReservedName(name: string): boolean {
  return RESERVED.has(name);
}

export const RESERVED_MESSAGE = 'is a reserved name (__proto__, constructor, prototype, toString, …): choose another';

/** The first reserved segment of a dot path (`a.__proto__.b` → `__proto__`), or undefined. */
export function reservedSegment(path: string): string | undefined {
  return path.split('.').find(isReservedName);
}
