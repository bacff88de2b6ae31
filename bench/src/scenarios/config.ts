// Issue 6: configuration from SSM Parameter Store. Cold load against the local SSM server
// (lambdakit `loadConfig` vs Powertools parameters `getMultiple` / `getParametersByName` vs a
// hand-written GetParametersByPath), and the warm per-invocation cost once memoized.

import { fileURLToPath } from 'node:url';
import { SSMClient } from '@aws-sdk/client-ssm';
import { missing } from '../lib/available.js';
import { coldLoadTable } from '../lib/cold-loads.js';
import { contexts } from '../lib/events.js';
import { type Contender, cycle } from '../lib/sample.js';
import { runScenario } from '../lib/scenario.js';
import { startServers } from '../lib/servers.js';
import { settings } from '../lib/settings.js';
import { isolatedChild, warmTables } from '../lib/warm.js';
import { defaultSettings, Settings, ssmParameters, ssmPath } from '../variants/order.js';

const self = fileURLToPath(import.meta.url);

/** The invoked ARN every load is for: function `orders`, unqualified (its parameters: `ssmParameters`). */
const arn = () => contexts(1)[0]!.invokedFunctionArn;

const byName = Object.fromEntries(ssmParameters.map((p) => [p.name, {}]));

/** Maps `/lambdakit/orders/maxItems` → `maxItems`, as a user of a plain parameters API writes by hand. */
function settingsFrom(values: Record<string, unknown>, strip: string): Settings {
  const raw: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values))
    raw[name.startsWith(strip) ? name.slice(strip.length) : name] = value;
  return Settings.parse(raw);
}

/** One cold load: a new SDK client (so no cache or connection is reused), read, validate. */
type ColdLoad = () => Promise<Settings>;

const coldVariants = [
  { id: 'bare', label: 'hand-written `GetParametersByPath` (paged) + `Settings.parse`' },
  { id: 'lambdakit', label: 'lambdakit `loadConfig(ctx, { schema, client })`' },
  { id: 'powertools-multiple', label: 'Powertools `SSMProvider.getMultiple(path, { recursive })` + `Settings.parse`' },
  { id: 'powertools-by-name', label: 'Powertools `SSMProvider.getParametersByName({ …2 names })` + `Settings.parse`' },
];

async function coldLoader(id: string): Promise<ColdLoad> {
  if (id === 'bare') {
    const { GetParametersByPathCommand } = await import('@aws-sdk/client-ssm');
    return async () => {
      const client = new SSMClient({});
      const values: Record<string, string> = {};
      let NextToken: string | undefined;
      do {
        const page = await client.send(
          new GetParametersByPathCommand({ Path: ssmPath, Recursive: true, WithDecryption: true, NextToken }),
        );
        for (const p of page.Parameters ?? [])
          if (p.Name !== undefined && p.Value !== undefined) values[p.Name] = p.Value;
        NextToken = page.NextToken;
      } while (NextToken !== undefined);
      return settingsFrom(values, ssmPath);
    };
  }
  if (id === 'lambdakit') {
    const { loadConfig } = await import('@lambdakit/config');
    const invoked = { invokedFunctionArn: arn() };
    return () => loadConfig(invoked, { schema: Settings, client: new SSMClient({}) });
  }
  const { SSMProvider } = await import('@aws-lambda-powertools/parameters/ssm');
  if (id === 'powertools-multiple') {
    return async () => {
      const provider = new SSMProvider({ awsSdkV3Client: new SSMClient({}) });
      const values = (await provider.getMultiple(ssmPath, { recursive: true, decrypt: true })) as Record<
        string,
        string
      >;
      return settingsFrom(values, '');
    };
  }
  return async () => {
    const provider = new SSMProvider({ awsSdkV3Client: new SSMClient({}) });
    const values = await provider.getParametersByName<string>(byName, { decrypt: true });
    return settingsFrom(values as Record<string, unknown>, ssmPath);
  };
}

const warmVariants = [
  { id: 'bare', label: 'hand-written memoized promise (`settings()` of the bare api variant)' },
  { id: 'lambdakit', label: 'lambdakit `loadConfig(ctx, { schema })`, memoized' },
  { id: 'powertools-multiple', label: 'Powertools `getMultiple(path, { maxAge: 900 })`, cached, + `Number()`' },
  { id: 'powertools-by-name', label: 'Powertools `getParametersByName(…, { maxAge: 900 })`, cached, + `Number()`' },
  { id: 'lambda', label: 'reference: `lambda()` handler returning constant settings (no config)' },
  { id: 'lambda+config', label: 'lambdakit `lambda().use(config({ schema }))` handler returning `ctx.config`' },
];

/** A warm read: the settings an invocation needs, from each library's memo after a first load. */
async function contenderFor(id: string): Promise<Contender> {
  if (id === 'bare') {
    const { settings: memoized } = await import('../variants/api/ssm-settings.js');
    await memoized();
    return { name: id, run: () => memoized() };
  }
  if (id === 'lambdakit') {
    const { loadConfig } = await import('@lambdakit/config');
    const invoked = { invokedFunctionArn: arn() };
    await loadConfig(invoked, { schema: Settings });
    return { name: id, run: () => loadConfig(invoked, { schema: Settings }) };
  }
  if (id === 'lambda' || id === 'lambda+config') {
    // The middleware's warm cost is the difference between these two whole handlers.
    const { lambda } = await import('@lambdakit/core');
    const { config } = await import('@lambdakit/config');
    const handler =
      id === 'lambda'
        ? lambda().handle(async () => defaultSettings)
        : lambda()
            .use(config({ schema: Settings }))
            .handle(async (_event, ctx) => ctx.config);
    const nextContext = cycle(contexts(256));
    const event = {};
    const first = (await handler(event, nextContext())) as Settings;
    if (first.maxItems !== 50) throw new Error(`${id}: wrong settings ${JSON.stringify(first)}`);
    return { name: id, run: () => handler(event, nextContext()) };
  }
  const { SSMProvider } = await import('@aws-lambda-powertools/parameters/ssm');
  const provider = new SSMProvider();
  if (id === 'powertools-multiple') {
    const read = async () => {
      const p = (await provider.getMultiple(ssmPath, { maxAge: 900, recursive: true })) as Record<string, string>;
      return { maxItems: Number(p.maxItems), currency: String(p.currency) };
    };
    await read();
    return { name: id, run: read };
  }
  const [maxItemsName, currencyName] = ssmParameters.map((p) => p.name);
  const read = async () => {
    const p = (await provider.getParametersByName<string>(byName, { maxAge: 900 })) as Record<string, string>;
    return { maxItems: Number(p[maxItemsName!]), currency: String(p[currencyName!]) };
  };
  await read();
  return { name: id, run: read };
}

if (!(await isolatedChild(contenderFor))) {
  await runScenario(async () => {
    const absent = await missing(['@lambdakit/config', { pkg: '@lambdakit/testing', exports: ['startLocalSsm'] }]);
    const base = {
      id: 'config',
      title: 'Config from SSM: cold load and warm lookup (issue 6)',
      measures:
        "The order function's two settings (`/lambdakit/orders/maxItems`, `/currency`) from the local SSM server of " +
        '@lambdakit/testing on 127.0.0.1, validated into the same `Settings`. Cold: every load makes a new `SSMClient` ' +
        `(no cache, no open connection), ${settings.configColdLoads} loads per variant, variants alternating load by load; ` +
        'time from call to settings, and SSM requests per load. Warm: the per-invocation read once memoized ' +
        '(issue 6: "should be a map lookup").',
      notes: [] as string[],
      awaiting: absent.map((a) => `config needs ${a}`),
    };
    if (absent.length > 0) return { ...base, tables: [] };
    const servers = await startServers(new Set(['ssm']));
    const loaders = new Map<string, ColdLoad>();
    for (const v of coldVariants) loaders.set(v.id, await coldLoader(v.id));
    const cold = await coldLoadTable({
      variants: coldVariants,
      loaders,
      requests: () => servers.ssmRequests() ?? 0,
      check(id, s) {
        if (s.maxItems !== 50 || s.currency !== 'EUR') throw new Error(`${id}: wrong settings ${JSON.stringify(s)}`);
      },
      bare: 'bare',
      reference: { id: 'powertools-multiple', name: 'Powertools getMultiple' },
      requestsColumn: 'SSM requests per load',
    });
    const warm = await warmTables({
      self,
      title: 'Warm per-invocation read of the memoized settings',
      variants: warmVariants,
      baseline: 'bare',
      references: ['powertools-multiple', 'powertools-by-name'],
      contenderFor,
      env: servers.env,
    });
    warm.columns[1] = 'time per read (own process)';
    await servers.close();
    base.notes.push(
      'Cold loads run in one process, so they exclude module loading and credential-chain set-up after the first; the ' +
        'cold-start scenario measures a whole fresh process. Powertools returns strings (no schema support); its rows ' +
        'validate with the same zod schema when cold and convert by hand when warm, as its users would.',
    );
    return { ...base, tables: [cold, warm] };
  });
}
