import type { AimPoint } from './aims.js';
import type { Figure } from './stats.js';

/** A table of a scenario's figures, rendered as Markdown in the console and in RESULTS.md. */
export interface Table {
  title: string;
  columns: string[];
  rows: string[][];
  /** One line under the table (what a cell means, what was skipped). */
  note?: string;
}

/** What a scenario child process sends back to `run.ts`. */
export interface ScenarioResult {
  id: string;
  title: string;
  /** One sentence: what is measured and how. */
  measures: string;
  tables: Table[];
  notes: string[];
  /** Variants or whole parts not run because a package is not written yet. */
  awaiting: string[];
  /** The rows this scenario contributes to the chart of aims. */
  aims?: AimPoint[];
  durationMs?: number;
}

const digits = (x: number): string => {
  const abs = Math.abs(x);
  if (abs >= 100) return x.toFixed(0);
  if (abs >= 10) return x.toFixed(1);
  return x.toFixed(2);
};

/** `min / **median** / max` with a unit, the median emphasised. */
export function fmtFigure(f: Figure, unit: string, scale = 1): string {
  return `${digits(f.min / scale)} / **${digits(f.median / scale)}** / ${digits(f.max / scale)} ${unit}`;
}

/** Nanoseconds per call, shown in µs when that reads better. */
export function fmtNs(f: Figure): string {
  return f.median >= 10_000 ? fmtFigure(f, 'µs', 1000) : fmtFigure(f, 'ns');
}

/** A ratio figure: `**1.23×** (1.10–1.40)`. */
export function fmtRatio(f: Figure): string {
  return `**${f.median.toFixed(2)}×** (${f.min.toFixed(2)}–${f.max.toFixed(2)})`;
}

/** A plain number with thousands separators. */
export function fmtInt(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}

/** Bytes as KiB with one decimal, plus the exact byte count. */
export function fmtBytes(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB (${fmtInt(bytes)} B)`;
}

/** Renders a table as GitHub Markdown. */
export function renderTable(table: Table): string {
  const lines = [
    `**${table.title}**`,
    '',
    `| ${table.columns.join(' | ')} |`,
    `|${table.columns.map(() => ' --- ').join('|')}|`,
  ];
  for (const row of table.rows) lines.push(`| ${row.join(' | ')} |`);
  if (table.note !== undefined) lines.push('', table.note);
  return lines.join('\n');
}

/** Renders a whole scenario section. */
export function renderScenario(result: ScenarioResult): string {
  const parts = [`### ${result.title}`, '', result.measures];
  for (const table of result.tables) parts.push('', renderTable(table));
  if (result.awaiting.length > 0) parts.push('', `Awaiting (not measured yet): ${result.awaiting.join('; ')}.`);
  for (const note of result.notes) parts.push('', note);
  return parts.join('\n');
}
