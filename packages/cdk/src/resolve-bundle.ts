import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { AssetManifestArtifact, type CloudAssembly } from 'aws-cdk-lib/cx-api';
import type { LambdakitFunction } from './lambdakit-function.js';

/** A function's code as the cloud assembly holds it: what `cdk deploy` uploads. */
export interface ResolvedBundle {
  /** The asset's folder in the assembly (`cdk.out/asset.<hash>`). */
  dir: string;
  /** The module Lambda loads: `<dir>/index.mjs`. */
  file: string;
  /** The export Lambda calls. */
  handler: string;
}

interface FileAssets {
  files?: Record<string, { source?: { path?: string } }>;
}

/**
 * Finds the code of `fn` in a synthesised assembly, through the template's `Code.S3Key` and the
 * stack's asset manifest: the bundle a test runs (with `lambdakit invoke`) is then the one that deploys.
 */
export function resolveBundle(assembly: CloudAssembly, fn: LambdakitFunction): ResolvedBundle {
  const stack = Stack.of(fn);
  const artifact = assembly.getStackArtifact(stack.artifactId);
  const logicalId = stack.getLogicalId(fn.node.defaultChild as CfnFunction);
  const properties = (artifact.template as { Resources?: Record<string, { Properties?: Record<string, unknown> }> })
    .Resources?.[logicalId]?.Properties;
  const key = (properties?.Code as { S3Key?: unknown } | undefined)?.S3Key;
  const where = `resolveBundle(assembly, ${fn.node.path})`;
  if (typeof key !== 'string' || !key.endsWith('.zip')) {
    throw new TypeError(
      `${where}: the template's ${logicalId} has no asset for its code (Code.S3Key is ${JSON.stringify(key)})`,
    );
  }
  const manifest = artifact.dependencies.find((dep) => dep instanceof AssetManifestArtifact);
  if (manifest === undefined) throw new TypeError(`${where}: stack ${artifact.id} has no asset manifest`);
  const assets = JSON.parse(readFileSync(manifest.file, 'utf8')) as FileAssets;
  const path = assets.files?.[key.slice(0, -'.zip'.length)]?.source?.path;
  if (path === undefined) throw new TypeError(`${where}: the asset manifest has no file asset ${key}`);
  const handler = String(properties?.Handler ?? '');
  const [module = '', exported = ''] = handler.split('.');
  const dir = join(assembly.directory, path);
  const file = join(dir, `${module}.mjs`);
  if (!existsSync(file)) throw new TypeError(`${where}: ${file} is missing from the assembly`);
  return { dir, file, handler: exported };
}
