import type { JsonOperations } from './json-endpoint.js';
import { CURRENT, notFound, type SecretsStore, type SecretValueInput, type StoredSecret } from './secrets-store.js';
import { ServiceError } from './service-error.js';

/** The Secrets Manager operations the local endpoint implements. */
export type LocalSecretsOperation =
  | 'CreateSecret'
  | 'GetSecretValue'
  | 'BatchGetSecretValue'
  | 'PutSecretValue'
  | 'UpdateSecretVersionStage'
  | 'DescribeSecret'
  | 'ListSecrets'
  | 'DeleteSecret';

type Input = Record<string, unknown>;

function invalid(message: string): ServiceError {
  return new ServiceError('InvalidParameterException', message);
}

function text(input: Input, field: string, required: true): string;
function text(input: Input, field: string, required?: false): string | undefined;
function text(input: Input, field: string, required = false): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) {
    if (required) throw invalid(`You must provide a value for the ${field} parameter.`);
    return undefined;
  }
  if (typeof value !== 'string' || value === '') throw invalid(`Invalid ${field}: expected a non-empty string.`);
  return value;
}

function count(input: Input, field: string, max: number): number | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw invalid(`Invalid ${field}: expected an integer from 1 to ${max}.`);
  }
  return value;
}

/** `SecretString` or `SecretBinary` (base64), not both; `undefined` when neither is given. */
function secretValue(input: Input): SecretValueInput | undefined {
  const string = input.SecretString;
  const binary = input.SecretBinary;
  if (string !== undefined && binary !== undefined) {
    throw invalid("You can't specify both a binary secret value and a string secret value in the same secret.");
  }
  if (typeof string === 'string') return { string };
  if (typeof binary === 'string') return { binary: Buffer.from(binary, 'base64') };
  if (string !== undefined || binary !== undefined) throw invalid('Invalid secret value.');
  return undefined;
}

function stageList(input: Input): string[] | undefined {
  const stages = input.VersionStages;
  if (stages === undefined) return undefined;
  if (!Array.isArray(stages) || stages.length < 1 || stages.length > 20 || stages.some((s) => typeof s !== 'string')) {
    throw invalid('Invalid VersionStages: expected 1 to 20 staging labels.');
  }
  return stages as string[];
}

/** A page token bound to the query it came from, so a token from another query is refused. */
function page<T>(items: readonly T[], input: Input, scope: string, max: number): { items: T[]; next?: string } {
  const size = count(input, 'MaxResults', max) ?? max;
  const token = text(input, 'NextToken');
  let offset = 0;
  if (token !== undefined) {
    const [tokenScope, at] = Buffer.from(token, 'base64url').toString('utf8').split('\n');
    offset = Number(at);
    if (tokenScope !== scope || !Number.isInteger(offset) || offset < 0 || offset > items.length) {
      throw new ServiceError('InvalidNextTokenException', 'The NextToken value is invalid.');
    }
  }
  const slice = items.slice(offset, offset + size);
  const end = offset + slice.length;
  return end < items.length
    ? { items: slice, next: Buffer.from(`${scope}\n${end}`).toString('base64url') }
    : { items: slice };
}

/** The secrets `Filters` select: only `name` (prefix match, case-sensitive) is supported here. */
function filtered(store: SecretsStore, filters: unknown): StoredSecret[] {
  if (!Array.isArray(filters) || filters.length === 0) throw invalid('Invalid Filters: expected at least one filter.');
  let secrets = [...store.secrets.values()].filter((s) => s.deleted === undefined);
  for (const filter of filters as { Key?: unknown; Values?: unknown }[]) {
    const values = filter?.Values;
    if (filter?.Key !== 'name' || !Array.isArray(values) || values.length === 0) {
      throw invalid('Invalid Filters: the local endpoint supports the name filter, with at least one value.');
    }
    secrets = secrets.filter((s) =>
      (values as unknown[]).some((v) =>
        typeof v === 'string' && v.startsWith('!') ? !s.name.startsWith(v.slice(1)) : s.name.startsWith(String(v)),
      ),
    );
  }
  return secrets.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A secret's metadata: `DescribeSecret` names its version map `VersionIdsToStages`, `ListSecrets` `SecretVersionsToStages`. */
function summary(secret: StoredSecret, versionsKey = 'VersionIdsToStages'): Record<string, unknown> {
  const stages: Record<string, string[]> = {};
  for (const version of secret.versions.values()) if (version.stages.size > 0) stages[version.id] = [...version.stages];
  return {
    ARN: secret.arn,
    Name: secret.name,
    ...(secret.description === undefined ? {} : { Description: secret.description }),
    ...(secret.kmsKeyId === undefined ? {} : { KmsKeyId: secret.kmsKeyId }),
    CreatedDate: secret.created.getTime() / 1000,
    LastChangedDate: secret.changed.getTime() / 1000,
    ...(secret.deleted === undefined ? {} : { DeletedDate: secret.deleted.getTime() / 1000 }),
    [versionsKey]: stages,
  };
}

function batchGet(store: SecretsStore, input: Input): unknown {
  const ids = input.SecretIdList;
  if ((ids === undefined) === (input.Filters === undefined)) {
    throw invalid('You must include Filters or SecretIdList, but not both.');
  }
  if (ids !== undefined) {
    if (!Array.isArray(ids) || ids.length < 1 || ids.length > 20 || ids.some((id) => typeof id !== 'string')) {
      throw invalid('Invalid SecretIdList: expected 1 to 20 secret names or ARNs.');
    }
    if (input.MaxResults !== undefined) throw invalid('MaxResults can be used only with Filters.');
  }
  const SecretValues: unknown[] = [];
  const Errors: unknown[] = [];
  const read = (secretId: string, lookup: () => StoredSecret) => {
    try {
      const secret = lookup();
      SecretValues.push(store.toWire(secret, store.read(secret, undefined, undefined)));
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      Errors.push({ SecretId: secretId, ErrorCode: error.type, Message: error.message });
    }
  };
  if (ids !== undefined) {
    for (const id of ids as string[]) read(id, () => store.find(id));
    return { SecretValues, Errors };
  }
  const { items, next } = page(filtered(store, input.Filters), input, JSON.stringify(input.Filters), 20);
  for (const secret of items) read(secret.arn, () => secret);
  return { SecretValues, Errors, ...(next === undefined ? {} : { NextToken: next }) };
}

function updateStage(store: SecretsStore, input: Input): unknown {
  const secret = store.find(text(input, 'SecretId', true));
  const stage = text(input, 'VersionStage', true);
  const moveTo = text(input, 'MoveToVersionId');
  const removeFrom = text(input, 'RemoveFromVersionId');
  const holder = store.versionWith(secret, stage);
  if (holder !== undefined && moveTo !== undefined && holder.id !== moveTo && holder.id !== removeFrom) {
    throw invalid(
      `The staging label ${stage} is currently attached to version ${holder.id}. You must specify RemoveFromVersionId to move it.`,
    );
  }
  if (moveTo !== undefined) {
    const target = secret.versions.get(moveTo);
    if (target === undefined) throw notFound();
    store.moveStage(secret, stage, target);
  } else if (removeFrom !== undefined) {
    if (stage === CURRENT) throw invalid('You can only move the staging label AWSCURRENT to another version.');
    secret.versions.get(removeFrom)?.stages.delete(stage);
  }
  secret.changed = new Date();
  return { ARN: secret.arn, Name: secret.name };
}

/** Secrets Manager's operations over one store, as the JSON 1.1 protocol carries them. */
export function secretsOperations(store: SecretsStore): JsonOperations<LocalSecretsOperation> {
  return {
    CreateSecret(input) {
      const { secret, version } = store.create(text(input, 'Name', true), secretValue(input), {
        versionId: text(input, 'ClientRequestToken'),
        description: text(input, 'Description'),
        kmsKeyId: text(input, 'KmsKeyId'),
      });
      return { ARN: secret.arn, Name: secret.name, ...(version === undefined ? {} : { VersionId: version.id }) };
    },
    GetSecretValue(input) {
      const secret = store.find(text(input, 'SecretId', true));
      return store.toWire(secret, store.read(secret, text(input, 'VersionId'), text(input, 'VersionStage')));
    },
    BatchGetSecretValue: (input) => batchGet(store, input),
    PutSecretValue(input) {
      const secret = store.find(text(input, 'SecretId', true));
      const value = secretValue(input);
      if (value === undefined) throw invalid('You must provide either SecretString or SecretBinary.');
      const version = store.putValue(secret, value, stageList(input) ?? [CURRENT], text(input, 'ClientRequestToken'));
      return { ARN: secret.arn, Name: secret.name, VersionId: version.id, VersionStages: [...version.stages] };
    },
    UpdateSecretVersionStage: (input) => updateStage(store, input),
    DescribeSecret: (input) => summary(store.find(text(input, 'SecretId', true), true)),
    ListSecrets(input) {
      const all =
        input.Filters === undefined
          ? [...store.secrets.values()].filter((s) => s.deleted === undefined || input.IncludePlannedDeletion === true)
          : filtered(store, input.Filters);
      const { items, next } = page(all, input, JSON.stringify(input.Filters ?? null), 100);
      return {
        SecretList: items.map((s) => summary(s, 'SecretVersionsToStages')),
        ...(next === undefined ? {} : { NextToken: next }),
      };
    },
    DeleteSecret(input) {
      const secret = store.find(text(input, 'SecretId', true), true);
      const now = new Date();
      if (input.ForceDeleteWithoutRecovery === true) store.secrets.delete(secret.name);
      else secret.deleted = new Date(now.getTime() + 30 * 24 * 3600 * 1000);
      const deletion = input.ForceDeleteWithoutRecovery === true ? now : (secret.deleted as Date);
      return { ARN: secret.arn, Name: secret.name, DeletionDate: deletion.getTime() / 1000 };
    },
  };
}
