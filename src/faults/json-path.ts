// A dot-path setter for JSON bodies that can only ever touch the body's own data: every step is an own
// property (never an inherited one), and a name that leads to a prototype is refused. The schema
// already rejects such paths; this is the second lock, for paths built any other way.
import { isReservedName } from '../scenario/reserved-names';

type Node = Record<string, unknown>;

function own(node: Node, key: string): unknown {
  return Object.hasOwn(node, key) ? node[key] : undefined;
}

/** Defines the value as an own data property, even for a key like `__proto__` that JSON.parse made. */
function put(node: Node, key: string, value: unknown): void {
  Object.defineProperty(node, key, { value, writable: true, enumerable: true, configurable: true });
}

/**
 * Apply `update(current)` at a dot path (a.b.c) inside a parsed JSON object or array; intermediate
 * objects are created. Throws on a non-object on the way or a reserved segment.
 */
export function updateAtPath(root: unknown, path: string, update: (current: unknown) => unknown): void {
  if (root === null || typeof root !== 'object') throw new Error('body is not a JSON object or array');
  const parts = path.split('.');
  const bad = parts.find(isReservedName);
  if (bad !== undefined) throw new Error(`${path}: ${bad} is a reserved name`);
  let node = root as Node;
  for (const part of parts.slice(0, -1)) {
    const next = own(node, part);
    if (next === undefined) {
      const created: Node = {};
      put(node, part, created);
      node = created;
    } else if (next !== null && typeof next === 'object') node = next as Node;
    else throw new Error(`${path}: ${part} is not an object`);
  }
  const last = parts[parts.length - 1];
  put(node, last, update(own(node, last)));
}
