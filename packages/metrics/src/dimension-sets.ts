import { EMF_LIMITS } from './emf-limits.js';
import { MetricsError } from './metrics-error.js';

/**
 * @internal The dimensions of one collector's pending metrics: the main set (defaults, then
 * `addDimension`'s) and the extra sets. EMF writes every dimension's value once, at the top
 * level, for every set that names it, so one name has one value across the sets.
 */
export class DimensionSets {
  readonly #defaults: ReadonlyMap<string, string>;
  #values: Map<string, string>;
  #main: Set<string>;
  #extra: Set<string>[] = [];
  /** Names some extra set holds (defaults included): their value is fixed for this batch. */
  #extraKeys = new Set<string>();

  constructor(defaults: ReadonlyMap<string, string>) {
    this.#defaults = defaults;
    this.#values = new Map(defaults);
    this.#main = new Set(defaults.keys());
  }

  /** Every dimension's value, as written at the EMF object's top level. */
  get values(): ReadonlyMap<string, string> {
    return this.#values;
  }

  /** The sets, main first, as EMF's `Dimensions` lists of keys. */
  get sets(): string[][] {
    return [[...this.#main], ...this.#extra.map((set) => [...set])];
  }

  /** Adds a dimension to the main set, or gives a main-set dimension another value. */
  add(name: string, value: string): void {
    const current = this.#values.get(name);
    // A main-set dimension (or a default) may take a new value for this invocation; a dimension
    // also named by an extra set may not, or that set's metrics would silently change.
    if (current !== undefined && current !== value && this.#extraKeys.has(name)) {
      throw dimensionConflict(name, current, value);
    }
    if (!this.#main.has(name) && this.#main.size >= EMF_LIMITS.dimensionsPerSet) {
      throw tooManyDimensions(name, this.#main.size + 1);
    }
    this.#values.set(name, value);
    this.#main.add(name);
  }

  /** Adds a set of the defaults plus `dimensions`; `check` vets each entry before anything changes. */
  addSet(dimensions: Readonly<Record<string, string>>, check: (name: string, value: string) => void): void {
    const set = new Set(this.#defaults.keys());
    const entries = Object.entries(dimensions);
    // Everything is checked before anything changes: a rejected set leaves no partial state.
    for (const [name, value] of entries) {
      check(name, value);
      const current = this.#values.get(name);
      if (current !== undefined && current !== value) throw dimensionConflict(name, current, value);
      set.add(name);
    }
    if (set.size > EMF_LIMITS.dimensionsPerSet) throw tooManyDimensions(entries.at(-1)?.[0], set.size);
    for (const [name, value] of entries) this.#values.set(name, value);
    // The default dimensions too: the set's metrics are aggregated by their current values.
    for (const name of set) this.#extraKeys.add(name);
    this.#extra.push(set);
  }

  /** Back to the default dimensions alone. */
  reset(): void {
    this.#values = new Map(this.#defaults);
    this.#main = new Set(this.#defaults.keys());
    this.#extra = [];
    this.#extraKeys = new Set();
  }
}

function dimensionConflict(name: string, current: string, value: string): MetricsError {
  return new MetricsError(
    'METRICS_DIMENSION_CONFLICT',
    `Dimension "${name}" already has the value "${current}": EMF writes one value per dimension, so "${value}" cannot be added`,
    { key: name, value },
  );
}

/** `METRICS_DIMENSION_LIMIT`: a dimension set of `size` dimensions, over EMF's 30. */
export function tooManyDimensions(name: string | undefined, size: number): MetricsError {
  return new MetricsError(
    'METRICS_DIMENSION_LIMIT',
    `Too many dimensions${name === undefined ? '' : ` adding "${name}"`}: ${size}, EMF allows ${EMF_LIMITS.dimensionsPerSet} per dimension set`,
    { key: name, value: size },
  );
}
