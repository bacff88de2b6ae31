import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterEach, describe, expect, it } from 'vitest';
import { startLocalAws } from './local-aws.js';

const saved = { ...process.env };
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
});

describe('startLocalAws', () => {
  it('points SDK clients created with no options, before the call, at the local servers', async () => {
    process.env.AWS_PROFILE = 'production';
    process.env.AWS_SESSION_TOKEN = 'real-token';
    delete process.env.AWS_REGION;
    // Created first, as a handler module's clients are, at import.
    const ssm = new SSMClient({});
    const dynamo = new DynamoDBClient({});
    const secrets = new SecretsManagerClient({});
    const kms = new KMSClient({});
    const sqs = new SQSClient({});
    const sns = new SNSClient({});
    const events = new EventBridgeClient({});
    const s3 = new S3Client({});
    const aws = await startLocalAws({
      queues: ['orders-queue'],
      topics: ['orders-topic'],
      buckets: ['orders-payloads'],
      region: 'eu-west-1',
      parameters: { '/lambdakit/orders/currency': 'EUR' },
      secrets: { '/lambdakit/orders': { db: { password: 'hunter2' } } },
      tables: [{ tableName: 'orders' }],
    });
    try {
      aws.useInThisProcess();
      expect(process.env.AWS_PROFILE).toBeUndefined();
      expect(process.env.AWS_SESSION_TOKEN).toBeUndefined();
      const parameter = await ssm.send(new GetParameterCommand({ Name: '/lambdakit/orders/currency' }));
      expect(parameter.Parameter?.Value).toBe('EUR');
      const item = await dynamo.send(new GetItemCommand({ TableName: 'orders', Key: { id: { S: 'none' } } }));
      expect(item.Item).toBeUndefined();
      const secret = await secrets.send(new GetSecretValueCommand({ SecretId: '/lambdakit/orders' }));
      expect(JSON.parse(secret.SecretString!)).toEqual({ db: { password: 'hunter2' } });
      const { keyId } = aws.kms.createKey();
      const context = { LambdaFunctionName: 'orders' };
      const blob = Buffer.from(aws.kms.encrypt(keyId, 'pw', context), 'base64');
      const plain = await kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: context }));
      expect(Buffer.from(plain.Plaintext!).toString()).toBe('pw');
      const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'orders-queue' }));
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: '{"orderId":"o-1"}' }));
      expect(aws.sqs.messages('orders-queue').map((m) => m.body)).toEqual(['{"orderId":"o-1"}']);
      await sns.send(new PublishCommand({ TopicArn: aws.sns.topicArn('orders-topic'), Message: 'placed' }));
      expect(aws.sns.messages('orders-topic').map((m) => m.message)).toEqual(['placed']);
      await events.send(new PutEventsCommand({ Entries: [{ Source: 'orders', DetailType: 'placed', Detail: '{}' }] }));
      expect(aws.eventBridge.events().map((e) => e.source)).toEqual(['orders']);
      // An IP endpoint: the client addresses buckets by path with no option set.
      await s3.send(new PutObjectCommand({ Bucket: 'orders-payloads', Key: 'o-1.json', Body: '{"big":true}' }));
      const object = await s3.send(new GetObjectCommand({ Bucket: 'orders-payloads', Key: 'o-1.json' }));
      expect(await object.Body?.transformToString()).toBe('{"big":true}');
      expect(await ssm.config.region()).toBe('eu-west-1');
    } finally {
      sns.destroy();
      events.destroy();
      s3.destroy();
      ssm.destroy();
      dynamo.destroy();
      secrets.destroy();
      kms.destroy();
      sqs.destroy();
      await aws.close();
    }
    // close() puts the environment back as it was.
    expect(process.env.AWS_PROFILE).toBe('production');
    expect(process.env.AWS_SESSION_TOKEN).toBe('real-token');
    expect(process.env.AWS_REGION).toBeUndefined();
    expect(process.env.AWS_ENDPOINT_URL_SSM).toBeUndefined();
  });

  it('gives a child process the same environment without touching this one', async () => {
    const aws = await startLocalAws();
    try {
      expect(aws.env).toEqual({
        AWS_REGION: 'us-east-1',
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_ENDPOINT_URL_SSM: aws.ssm.endpoint,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.secrets.endpoint,
        AWS_ENDPOINT_URL_KMS: aws.kms.endpoint,
        AWS_ENDPOINT_URL_SQS: aws.sqs.endpoint,
        AWS_ENDPOINT_URL_SNS: aws.sns.endpoint,
        AWS_ENDPOINT_URL_EVENTBRIDGE: aws.eventBridge.endpoint,
        AWS_ENDPOINT_URL_S3: aws.s3.endpoint,
        AWS_ENDPOINT_URL_DYNAMODB: aws.dynamo.endpoint,
        AWS_ACCESS_KEY_ID: expect.any(String),
        AWS_SECRET_ACCESS_KEY: expect.any(String),
      });
      expect(aws.ssm.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(process.env.AWS_ENDPOINT_URL_SSM).toBe(saved.AWS_ENDPOINT_URL_SSM);
    } finally {
      await aws.close();
    }
  });
});
