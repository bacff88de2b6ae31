// Entry of `npm run bench`: runs every scenario in its own child process (stdout, where the
// loggers under test write, goes to /dev/null), prints each section, and writes RESULTS.md
// (a full run) or a temporary file (BENCH_SMOKE=1, or some scenarios named on the command line).
import { execFileSync, fork } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AimPoint } from './lib/aims.js';
import { aimsChart } from './lib/chart.js';
import { renderScenario, type ScenarioResult } from './lib/report.js';
import type { ScenarioMessage } from './lib/scenario.js';
import { SMOKE } from './lib/settings.js';

const here = dirname(fileURLToPath(import.meta.url));
const benchDir = dirname(here);

/** Scenario files, run in this order. */
const scenarios = [
  'core-overhead',
  'api-warm',
  'cold-start',
  'bundle-size',
  'memory',
  'concurrency',
  'async-context',
  'parser',
  'logger',
  'config',
  'secrets',
  'idempotency',
  'resilience',
  'large-payloads',
  'metrics',
  'batch',
  'tracer',
  'http-routes',
  'durable',
];

const only = process.argv.slice(2);
const selected = only.length > 0 ? scenarios.filter((s) => only.includes(s)) : scenarios;

/** A Node.js binary the scenarios run on: Lambda's runtimes (nodejs22.x, nodejs24.x) when available. */
interface Runtime {
  /** `Node 22.23.3 (nodejs22.x)` */
  label: string;
  version: string;
  bin: string;
}

/**
 * The Node binaries of Lambda's current runtimes, installed once from the npm registry into the
 * cache outside the repository (scripts/build-runtime-clients.sh --node-only); this machine's
 * Node only for a smoke run, with BENCH_NODE=current, or where they cannot be installed.
 */
function runtimes(): { list: Runtime[]; note: string | undefined } {
  const current: Runtime = {
    label: `Node ${process.versions.node} (this machine)`,
    version: process.versions.node,
    bin: process.execPath,
  };
  if (SMOKE || process.env.BENCH_NODE === 'current') return { list: [current], note: undefined };
  try {
    const out = execFileSync('bash', [join(benchDir, '..', 'scripts', 'build-runtime-clients.sh'), '--node-only'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const list = out
      .trim()
      .split('\n')
      .map((line) => {
        const [runtime, bin] = line.split(' ') as [string, string];
        const version = execFileSync(bin, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
        return { label: `Node ${version} (${runtime})`, version, bin };
      });
    return { list, note: undefined };
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return {
      list: [current],
      note: `Lambda's Node binaries could not be installed (${why}): measured on this machine's Node only.`,
    };
  }
}

function runChild(
  name: string,
  runtime: Runtime,
): Promise<{ message: ScenarioMessage | undefined; stderr: string; code: number | null }> {
  return new Promise((resolve) => {
    const child = fork(join(here, 'scenarios', `${name}.ts`), [], {
      cwd: benchDir,
      execPath: runtime.bin,
      execArgv: ['--import', 'tsx', '--expose-gc'],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, NODE_ENV: 'production' },
    });
    let stderr = '';
    let message: ScenarioMessage | undefined;
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('message', (m) => {
      message = m as ScenarioMessage;
    });
    child.on('exit', (code) => resolve({ message, stderr, code }));
  });
}

function machine(): string[] {
  const cpus = os.cpus();
  return [
    `- CPU: ${cpus[0]?.model ?? 'unknown'}, ${cpus.length} logical cores (\`os.availableParallelism()\` = ${os.availableParallelism()})`,
    `- Memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; OS: ${os.type()} ${os.release()} ${os.arch()}`,
    `- Node.js: ${nodes.list.map((r) => r.label).join(', ')}; the harness on ${process.version}`,
    `- Code: ${code}`,
  ];
}

/** The commit measured, and whether the work tree had changes on top of it. */
function revision(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: benchDir, encoding: 'utf8' }).trim();
    const commit = git('rev-parse', '--short', 'HEAD');
    const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
    return `commit ${commit}${dirty ? ' with uncommitted changes' : ''}`;
  } catch {
    return 'not a git checkout';
  }
}

const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' / ');

// Read before the run writes its own outputs (RESULTS.md, the chart), which would read as changes.
const code = revision();
const startedAt = new Date();
const loadBefore = load();
const nodes = runtimes();
const sections: string[] = [];
const failures: string[] = [];
const awaiting = new Set<string>();
const aims: { runtime: Runtime; points: AimPoint[] }[] = nodes.list.map((runtime) => ({ runtime, points: [] }));
const started = performance.now();
process.stdout.write(`lambdakit bench${SMOKE ? ' (smoke run: tiny iteration counts, figures meaningless)' : ''}\n`);
if (nodes.note !== undefined) process.stdout.write(`note: ${nodes.note}\n`);
// Scenario by scenario, each on every Node version in turn, so both meet the same machine load.
for (const name of selected) {
  for (const [i, runtime] of nodes.list.entries()) {
    const t0 = performance.now();
    process.stdout.write(`\n--- ${name} on ${runtime.label} ...\n`);
    const { message, stderr, code } = await runChild(name, runtime);
    if (message?.ok) {
      const result: ScenarioResult = message.result;
      if (nodes.list.length > 1) result.title = `${result.title}, ${runtime.label}`;
      const section = renderScenario(result);
      sections.push(section);
      for (const a of result.awaiting) awaiting.add(`${result.id}: ${a}`);
      aims[i]!.points.push(...(result.aims ?? []));
      process.stdout.write(`${section}\n(${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
    } else {
      const reason = message?.ok === false ? message.error : `exit code ${code}\n${stderr}`;
      failures.push(`${name} on ${runtime.label}: ${reason}`);
      process.stdout.write(`FAILED ${name} on ${runtime.label}\n${reason}\n`);
    }
  }
}
// RESULTS.md is a full run's: a smoke run, or a run of some scenarios, writes beside the temp dir instead.
const partial = only.length > 0;
const scratch = SMOKE ? 'lambdakit-bench-smoke' : partial ? 'lambdakit-bench-partial' : undefined;
const outFile = scratch === undefined ? join(benchDir, 'RESULTS.md') : join(os.tmpdir(), `${scratch}.md`);
const chartFile = join(dirname(outFile), scratch === undefined ? 'results-chart.svg' : `${scratch}.svg`);
const series = aims.map((a) => ({ label: a.runtime.label, points: a.points }));
const chart = aimsChart(series);
writeFileSync(chartFile, chart.svg);
// The chart's data, so it can be drawn again without a run (`npx tsx src/lib/chart.ts <file>`).
writeFileSync(chartFile.replace(/\.svg$/, '.json'), `${JSON.stringify(series, null, 1)}\n`);
const totalS = (performance.now() - started) / 1000;
// The closing note: where lambdakit misses an aim and why, from profiling (kept by hand in MISSES.md,
// since a cause is found with `node --cpu-prof`, not measured by this run).
const missesFile = join(benchDir, 'MISSES.md');
const misses = existsSync(missesFile) ? readFileSync(missesFile, 'utf8').trim() : '';

const report = [
  '# lambdakit benchmark results',
  '',
  `Written by \`npm run bench\` on ${startedAt.toISOString()} (total ${totalS.toFixed(0)} s).`,
  SMOKE ? '\n**Smoke run (BENCH_SMOKE=1): tiny iteration counts, the figures mean nothing.**' : '',
  '',
  '## Machine',
  '',
  ...machine(),
  `- Load average (1 / 5 / 15 min) before: ${loadBefore}; after: ${load()}. Load from anything else running on the machine widens every min–max range.`,
  '',
  '## Reproduce',
  '',
  '```sh',
  'npm ci && npm run bench            # builds every package, then runs bench/src/run.ts with tsx',
  'npx tsx bench/src/run.ts cold-start  # one scenario (names as in bench/src/scenarios/)',
  '```',
  '',
  'How to read a figure: `min / **median** / max`. Warm timings are means over a batch of invocations, one batch per',
  'variant per round, variants interleaved round by round; the min–max range is the spread between rounds. Ratios',
  'are computed per round (variant ÷ baseline in the same round) and summarised the same way. See bench/README.md.',
  '',
  '## Where lambdakit stands',
  '',
  `![Each scenario's cost ratio against its aim, with Powertools and Middy, per Node version](./${basename(chartFile)})`,
  '',
  chart.table,
  '',
  '## Results',
  '',
  sections.join('\n\n'),
  '',
  misses === '' ? '' : `${misses}\n`,
  failures.length > 0 ? `## Failures\n\n${failures.map((f) => `- ${f.split('\n')[0]}`).join('\n')}\n` : '',
  awaiting.size > 0 ? `## Not measured yet\n\n${[...awaiting].map((a) => `- ${a}`).join('\n')}\n` : '',
  nodes.note === undefined ? '' : `Note: ${nodes.note}\n`,
].join('\n');

const out = outFile;
writeFileSync(out, report);
if (scratch === undefined) {
  // Aligns the tables as the repository's formatter wants them, so `biome check bench` stays clean.
  try {
    execFileSync(join(benchDir, '..', 'node_modules', '.bin', 'biome'), ['format', '--write', out], {
      stdio: 'ignore',
    });
  } catch {
    process.stdout.write(
      'note: could not format RESULTS.md with biome (run `npx biome format --write bench/RESULTS.md`)\n',
    );
  }
}
process.stdout.write(`\nwrote ${out} (${totalS.toFixed(1)} s total)\n`);
if (failures.length > 0) {
  process.stdout.write(`${failures.length} scenario(s) failed: ${failures.map((f) => f.split(':')[0]).join(', ')}\n`);
  process.exit(1);
}
