// ${NAME} and ${NAME:-default} in scenario strings, from the environment, before validation: one file
// serves staging and production, and the demo points the same file at its embedded shop.
import { ConfigError } from '../errors';

const REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

function scalar(text: string): unknown {
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}

export function interpolate(value: unknown, env: NodeJS.ProcessEnv, path = ''): unknown {
  const missing: string[] = [];
  const walk = (v: unknown, at: string): unknown => {
    if (typeof v === 'string') {
      const whole = new RegExp(`^${REF.source}$`).exec(v);
      const replaced = v.replace(REF, (_, name: string, fallback: string | undefined) => {
        const found = env[name] ?? fallback;
        if (found === undefined) missing.push(`${at || '(top level)'}: environment variable ${name} is not set`);
        return found ?? '';
      });
      // `seed: ${SEED}` must stay a number, as if the value had been written in the file.
      return whole ? scalar(replaced) : replaced;
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, `${at}[${i}]`));
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, at ? `${at}.${k}` : k)]));
    }
    return v;
  };
  const out = walk(value, path);
  if (missing.length > 0) throw new ConfigError(missing);
  return out;
}
