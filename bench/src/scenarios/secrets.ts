// Issue 20: a function's secret from Secrets Manager. Cold load against the local Secrets Manager
// (lambdakit `loadConfig` with `secrets()` vs Powertools parameters' `SecretsProvider` vs a
// hand-written GetSecretValue), and the warm per-invocation read once memoized (Powertools `getSecret`).

import { fileURLToPath } from 'node:url';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { missing } from '../lib/available.js';
import { coldLoadTable } from '../lib/cold-loads.js';
import { contexts } from '../lib/events.js';
import { fmtFigure, type Table } from '../lib/report.js';
import type { Contender } from '../lib/sample.js';
import { runScenario } from '../lib/scenario.js';
import { startServers } from '../lib/servers.js';
import { settings } from '../lib/settings.js';
import { summarize } from '../lib/stats.js';
import { isolatedChild, warmTables } from '../lib/warm.js';
import { Secret, secretName, secretValue } from '../variants/order.js';

const self = fileURLToPath(import.meta.url);
/** The invoked ARN every load is for: function `orders`, unqualified. */
const arn = () => contexts(1)[0]!.invokedFunctionArn;

/** One cold load: a new SDK client (so no cache or open connection), read, validate. */
type ColdLoad = () => Promise<Secret>;

const coldVariants = [
  { id: 'bare', label: 'hand-written `GetSecretValue` + `JSON.parse` + `Secret.parse`' },
  { id: 'lambdakit', label: 'lambdakit `loadConfig(ctx, { schema, sources: [secrets({ client })] })`' },
  {
    id: 'lambdakit-extension',
    label:
      "lambdakit `secrets({ transport: 'extension' })`: through the Parameters and Secrets extension (local emulation), its cache empty",
  },
  { id: 'powertools', label: "Powertools `SecretsProvider.get(name, { transform: 'json' })` + `Secret.parse`" },
];

/** Loads through the extension: each under a prefix of its own, so neither lambdakit's memo nor the extension's cache holds it yet. */
let extensionLoads = 0;
const extensionPrefix = (n: number) => `/bench-extension-${n}`;

async function coldLoader(id: string, extensionEnv: Record<string, string>): Promise<ColdLoad> {
  if (id === 'lambdakit-extension') {
    const { loadConfig, secrets } = await import('@lambdakit/config');
    const invoked = { invokedFunctionArn: arn() };
    const store = secrets({ transport: 'extension' });
    return () =>
      loadConfig(invoked, {
        schema: Secret,
        prefix: extensionPrefix(extensionLoads++),
        env: extensionEnv,
        sources: [store],
      });
  }
  if (id === 'bare') {
    const { GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
    return async () => {
      const out = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: secretName }));
      return Secret.parse(JSON.parse(out.SecretString ?? ''));
    };
  }
  if (id === 'lambdakit') {
    const { loadConfig, secrets } = await import('@lambdakit/config');
    const invoked = { invokedFunctionArn: arn() };
    return () => loadConfig(invoked, { schema: Secret, sources: [secrets({ client: new SecretsManagerClient({}) })] });
  }
  const { SecretsProvider } = await import('@aws-lambda-powertools/parameters/secrets');
  return async () => {
    const provider = new SecretsProvider({ awsSdkV3Client: new SecretsManagerClient({}) });
    return Secret.parse(await provider.get(secretName, { transform: 'json' }));
  };
}

const warmVariants = [
  { id: 'bare', label: 'hand-written memoized promise of the parsed secret' },
  { id: 'lambdakit', label: 'lambdakit `loadConfig(ctx, { schema, sources: [secrets()] })`, memoized' },
  {
    id: 'powertools',
    label: "Powertools `getSecret(name, { transform: 'json', maxAge: 900 })`, cached (not validated)",
  },
];

/** A warm read: the secret an invocation needs, from each library's memo after a first load. */
async function contenderFor(id: string): Promise<Contender> {
  if (id === 'bare') {
    const { GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
    const client = new SecretsManagerClient({});
    let memo: Promise<Secret> | undefined;
    const read = () => {
      memo ??= client
        .send(new GetSecretValueCommand({ SecretId: secretName }))
        .then((out) => Secret.parse(JSON.parse(out.SecretString ?? '')));
      return memo;
    };
    await read();
    return { name: id, run: read };
  }
  if (id === 'lambdakit') {
    const { loadConfig, secrets } = await import('@lambdakit/config');
    const invoked = { invokedFunctionArn: arn() };
    const options = { schema: Secret, sources: [secrets()] };
    await loadConfig(invoked, options);
    return { name: id, run: () => loadConfig(invoked, options) };
  }
  const { getSecret } = await import('@aws-lambda-powertools/parameters/secrets');
  const read = () => getSecret(secretName, { transform: 'json', maxAge: 900 });
  await read();
  return { name: id, run: read };
}

const refreshPrefix = (transport: string) => (n: number) => `/bench-refresh-${transport}-${n}`;

/**
 * What a refresh after `maxAgeSeconds` reads: each read under a prefix of its own (so lambdakit's
 * memo misses), through a warm SDK client (its connection open) or through the extension with the
 * secret already in its cache (within `SECRETS_MANAGER_TTL`).
 */
async function refreshTable(
  extension: { env: Readonly<Record<string, string>>; endpoint: string },
  clientConfig: ConstructorParameters<typeof SecretsManagerClient>[0],
): Promise<Table> {
  const { loadConfig, secrets } = await import('@lambdakit/config');
  const invoked = { invokedFunctionArn: arn() };
  const viaSdk = secrets({ transport: 'sdk', client: new SecretsManagerClient({ ...clientConfig, maxAttempts: 1 }) });
  const viaExtension = secrets({ transport: 'extension' });
  const env = { ...extension.env };
  const token = { 'X-Aws-Parameters-Secrets-Token': env.AWS_SESSION_TOKEN! };
  const reads = {
    sdk: (n: number) =>
      loadConfig(invoked, { schema: Secret, env, prefix: refreshPrefix('sdk')(n), sources: [viaSdk] }),
    extension: async (n: number) => {
      // Untimed in a real refresh too: the extension already holds the secret from the sandbox's first read.
      const name = encodeURIComponent(`${refreshPrefix('extension')(n)}/orders`);
      await fetch(`${extension.endpoint}/secretsmanager/get?secretId=${name}`, { headers: token }).then((r) =>
        r.text(),
      );
      const t0 = process.hrtime.bigint();
      await loadConfig(invoked, {
        schema: Secret,
        env,
        prefix: refreshPrefix('extension')(n),
        sources: [viaExtension],
      });
      return Number(process.hrtime.bigint() - t0) / 1e6;
    },
  };
  const sdkTimes: number[] = [];
  const extensionTimes: number[] = [];
  for (let n = 0; n < settings.configColdLoads + 4; n++) {
    const t0 = process.hrtime.bigint();
    await reads.sdk(n);
    const sdkMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const extensionMs = await reads.extension(n);
    if (n >= 2) {
      sdkTimes.push(sdkMs);
      extensionTimes.push(extensionMs);
    }
  }
  const sdk = summarize(sdkTimes);
  const ext = summarize(extensionTimes);
  return {
    title: 'A refresh’s read: warm SDK client vs the extension’s cache',
    columns: ['variant', 'time per read', 'ratio to the SDK (medians)'],
    rows: [
      [
        "lambdakit `secrets({ transport: 'sdk' })`, client connection open: `BatchGetSecretValue`",
        fmtFigure(sdk, 'ms'),
        '1×',
      ],
      [
        "lambdakit `secrets({ transport: 'extension' })`, the secret in the extension's cache: two localhost GETs",
        fmtFigure(ext, 'ms'),
        `${(ext.median / sdk.median).toFixed(2)}×`,
      ],
    ],
  };
}

if (!(await isolatedChild(contenderFor))) {
  await runScenario(async () => {
    const absent = await missing([
      '@lambdakit/config',
      { pkg: '@lambdakit/testing', exports: ['startLocalSecretsManager'] },
    ]);
    const base = {
      id: 'secrets',
      title: 'Secrets from Secrets Manager: cold load and warm lookup (issue 20)',
      measures:
        "The order function's secret (`/lambdakit/orders`, a JSON object of an API key and a database user and " +
        'password) from the local Secrets Manager of @lambdakit/testing on 127.0.0.1, validated into the same `Secret`. ' +
        `Cold: every load makes a new \`SecretsManagerClient\` (no cache, no open connection), ${settings.configColdLoads} ` +
        'loads per variant, variants alternating load by load; time from call to secret, and requests per load. Warm: ' +
        'the per-invocation read once memoized.',
      notes: [] as string[],
      awaiting: absent.map((a) => `secrets needs ${a}`),
    };
    if (absent.length > 0) return { ...base, tables: [] };
    const servers = await startServers(new Set(['secrets']));
    const testing = await import('@lambdakit/testing');
    // The extension in front of its own Secrets Manager, seeded with the same secret under every prefix a load uses.
    const seeded = (prefix: (n: number) => string) =>
      Array.from({ length: settings.configColdLoads + 4 }, (_, n) => [`${prefix(n)}/orders`, secretValue] as const);
    const behind = await testing.startLocalSecretsManager({
      secrets: Object.fromEntries([
        ...seeded(extensionPrefix),
        ...seeded(refreshPrefix('sdk')),
        ...seeded(refreshPrefix('extension')),
      ]),
    });
    const extension = await testing.startLocalSecretsExtension({ secretsManager: behind });
    const loaders = new Map<string, ColdLoad>();
    for (const v of coldVariants) loaders.set(v.id, await coldLoader(v.id, { ...extension.env }));
    const cold = await coldLoadTable({
      variants: coldVariants,
      loaders,
      requests: () => (servers.secretsRequests() ?? 0) + behind.count(),
      check(id, secret) {
        if (secret.db.user !== 'app') throw new Error(`${id}: wrong secret`);
      },
      bare: 'bare',
      reference: { id: 'powertools', name: 'Powertools' },
      requestsColumn: 'requests per load',
    });
    const refresh = await refreshTable(extension, behind.clientConfig);
    const warm = await warmTables({
      self,
      title: 'Warm per-invocation read of the memoized secret',
      variants: warmVariants,
      baseline: 'bare',
      references: ['powertools'],
      contenderFor,
      env: servers.env,
    });
    warm.columns[1] = 'time per read (own process)';
    await servers.close();
    await extension.close();
    await behind.close();
    base.notes.push(
      'Through the extension, a cold load is two localhost GETs (the base secret and the qualifier’s, absent here) ' +
        'that the extension answers by reading Secrets Manager (here: the emulation of @lambdakit/testing, which ' +
        'reads its store in process, so its own Secrets Manager call is not in the figure); "requests per load" ' +
        'counts requests to Secrets Manager itself (none: the emulation reads its store directly).',
    );
    base.notes.push(
      "lambdakit reads the function's secret and every qualifier's in one `BatchGetSecretValue` (a name filter), where " +
        'the others read one secret by name with `GetSecretValue`. Powertools returns the parsed JSON without a schema; ' +
        'its cold rows validate with the same zod schema, its warm rows return the cached object as its users would.',
    );
    return { ...base, tables: [cold, refresh, warm] };
  });
}
