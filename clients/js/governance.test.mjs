// Governance APIs driven by the real AWS SDK for JavaScript v3: CloudTrail LookupEvents over the gateway's
// audit trail, and Bedrock's model invocation logging configuration. Run by JavaScriptSdkIT against a gateway
// with the demo credentials (MERIDIAN_ENDPOINT).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import {
  BedrockClient, PutModelInvocationLoggingConfigurationCommand, GetModelInvocationLoggingConfigurationCommand,
  DeleteModelInvocationLoggingConfigurationCommand,
} from '@aws-sdk/client-bedrock';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';

const endpoint = process.env.MERIDIAN_ENDPOINT;
const demo = { accessKeyId: 'AKIAMERIDIANDEMO', secretAccessKey: 'meridian-demo-secret' };
const NOVA = 'eu.amazon.nova-2-lite-v1:0';

test('LookupEvents finds the Converse call, in the source region, with the processing region', async () => {
  const region = 'eu-south-2';
  const runtime = new BedrockRuntimeClient({ endpoint, region, credentials: demo, maxAttempts: 1 });
  const out = await runtime.send(new ConverseCommand({
    modelId: NOVA, messages: [{ role: 'user', content: [{ text: 'audit this from Spain' }] }],
  }));
  const requestId = out.$metadata.requestId;
  const trail = new CloudTrailClient({ endpoint, region, credentials: demo, maxAttempts: 1 });
  const found = await trail.send(new LookupEventsCommand({
    LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'Converse' }], MaxResults: 50,
  }));
  const event = found.Events.find((e) => JSON.parse(e.CloudTrailEvent).requestID === requestId);
  assert.ok(event, 'the call is in the trail');
  assert.ok(event.EventTime instanceof Date);
  const record = JSON.parse(event.CloudTrailEvent);
  assert.equal(record.awsRegion, region);
  assert.equal(record.eventSource, 'bedrock.amazonaws.com');
  assert.ok(record.additionalEventData.inferenceRegion.startsWith('eu-'));
  assert.ok(!event.CloudTrailEvent.includes('audit this from Spain'), 'no prompt text in the record');
});

test('LookupEvents refuses two lookup attributes with InvalidLookupAttributesException', async () => {
  const trail = new CloudTrailClient({ endpoint, region: 'eu-south-2', credentials: demo, maxAttempts: 1 });
  await assert.rejects(
    trail.send(new LookupEventsCommand({
      LookupAttributes: [
        { AttributeKey: 'EventName', AttributeValue: 'Converse' },
        { AttributeKey: 'Username', AttributeValue: 'demo' },
      ],
    })),
    (err) => err.name === 'InvalidLookupAttributesException' && err.$metadata.httpStatusCode === 400,
  );
});

test('model invocation logging configuration round-trips', async () => {
  const control = new BedrockClient({ endpoint, region: 'eu-south-2', credentials: demo, maxAttempts: 1 });
  await control.send(new PutModelInvocationLoggingConfigurationCommand({
    loggingConfig: { s3Config: { bucketName: 'js-invocation-logs', keyPrefix: 'js' }, textDataDeliveryEnabled: true },
  }));
  const got = await control.send(new GetModelInvocationLoggingConfigurationCommand({}));
  assert.equal(got.loggingConfig.s3Config.bucketName, 'js-invocation-logs');
  assert.equal(got.loggingConfig.s3Config.keyPrefix, 'js');
  await control.send(new DeleteModelInvocationLoggingConfigurationCommand({}));
  const after = await control.send(new GetModelInvocationLoggingConfigurationCommand({}));
  assert.equal(after.loggingConfig, undefined);
});
