// vega and vega-lite are ESM-only and vega-lite uses top-level await, so require() cannot load them.
// A real dynamic import() is needed; tsc (module commonjs) would rewrite `import()` into require(),
// hence the Function wrapper. Only the few members the report uses are typed here.

export interface VegaLite {
  version: string;
  compile(spec: unknown): { spec: unknown };
}

export interface VegaView {
  toSVG(scaleFactor?: number): Promise<string>;
  finalize(): void;
}

export interface Vega {
  version: string;
  parse(spec: unknown): unknown;
  View: new (runtime: unknown, options: { renderer: 'none' }) => VegaView;
}

const dynamicImport = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<unknown>;

let loaded: Promise<{ vl: VegaLite; vega: Vega }> | undefined;

/** Loads both once per process (≈250 ms the first time). */
export function loadVega(): Promise<{ vl: VegaLite; vega: Vega }> {
  loaded ??= Promise.all([dynamicImport('vega-lite'), dynamicImport('vega')]).then(([vl, vega]) => ({
    vl: vl as VegaLite,
    vega: vega as Vega,
  }));
  return loaded;
}
