// Every string in the report is escaped: keys, paths and probe names come from clients and scenarios.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** Tagged template that escapes every interpolation unless it is marked as already-safe HTML. */
export class SafeHtml {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

export function raw(html: string): SafeHtml {
  return new SafeHtml(html);
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0];
  values.forEach((v, i) => {
    out += interpolate(v) + strings[i + 1];
  });
  return new SafeHtml(out);
}

function interpolate(v: unknown): string {
  if (v instanceof SafeHtml) return v.html;
  if (Array.isArray(v)) return v.map(interpolate).join('');
  return escapeHtml(v);
}
