// Meridian driven by the real AWS SDK for JavaScript v3. MERIDIAN_ENDPOINT names a running gateway with the
// demo credentials; JavaScriptSdkIT starts one and runs this file with `node --test`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand, CountTokensCommand, InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
} from '@aws-sdk/client-bedrock-runtime';
import {
  BedrockClient, ListInferenceProfilesCommand, CreateInferenceProfileCommand, GetInferenceProfileCommand,
} from '@aws-sdk/client-bedrock';

const endpoint = process.env.MERIDIAN_ENDPOINT;
const demo = { accessKeyId: 'AKIAMERIDIANDEMO', secretAccessKey: 'meridian-demo-secret' };
const EU = new Set(['eu-central-1', 'eu-west-1', 'eu-west-3', 'eu-north-1', 'eu-south-1', 'eu-south-2']);
const NOVA = 'eu.amazon.nova-2-lite-v1:0';

function runtime(region, extra = {}) {
  return new BedrockRuntimeClient({ endpoint, region, credentials: demo, maxAttempts: 1, ...extra });
}

function control(region, extra = {}) {
  return new BedrockClient({ endpoint, region, credentials: demo, maxAttempts: 1, ...extra });
}

const question = [{ role: 'user', content: [{ text: 'Where is my data processed?' }] }];

test('Converse from Milan is processed in an EU member state', async () => {
  const out = await runtime('eu-south-1').send(new ConverseCommand({ modelId: NOVA, messages: question }));
  assert.ok(out.output.message.content[0].text.length > 0);
  assert.equal(out.stopReason, 'end_turn');
  assert.equal(out.usage.totalTokens, out.usage.inputTokens + out.usage.outputTokens);
  assert.ok(out.$metadata.requestId);
});

test('Converse with Anthropic thinking answers its signed thinking first, and streams it before the text', async () => {
  const ask = {
    modelId: 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0', messages: question,
    inferenceConfig: { maxTokens: 4000 },
    additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 2048 } },
  };
  const out = await runtime('eu-west-1').send(new ConverseCommand(ask));
  const [thinking, answer] = out.output.message.content;
  assert.ok(thinking.reasoningContent.reasoningText.text.length > 0);
  assert.ok(thinking.reasoningContent.reasoningText.signature.length > 0);
  assert.ok(answer.text.length > 0);
  const streamed = await runtime('eu-west-1').send(new ConverseStreamCommand(ask));
  let text = '';
  let signature;
  for await (const event of streamed.stream) {
    const delta = event.contentBlockDelta?.delta?.reasoningContent;
    if (delta?.text) text += delta.text;
    if (delta?.signature) signature = delta.signature;
  }
  assert.equal(text, thinking.reasoningContent.reasoningText.text);
  assert.equal(signature, thinking.reasoningContent.reasoningText.signature);
});

test('Converse from London stays in the EU or London', async () => {
  const client = runtime('eu-west-2');
  client.middlewareStack.add((next) => async (args) => {
    const result = await next(args);
    const region = result.response.headers['x-meridian-inference-region'];
    assert.ok(EU.has(region) || region === 'eu-west-2', `processed in ${region}`);
    return result;
  }, { step: 'deserialize', name: 'checkRegion' });
  await client.send(new ConverseCommand({ modelId: NOVA, messages: question }));
});

test('Converse names the stop sequence that ended generation when asked', async () => {
  const client = runtime('eu-west-1');
  const full = (await client.send(new ConverseCommand({ modelId: NOVA, messages: question })))
    .output.message.content[0].text;
  const stop = full.slice(8, 12);
  const out = await client.send(new ConverseCommand({
    modelId: NOVA, messages: question,
    inferenceConfig: { stopSequences: ['<1>', '<2>', '<3>', '<4>', '<5>', stop] },
    additionalModelResponseFieldPaths: ['/stop_sequence'],
  }));
  assert.equal(out.stopReason, 'stop_sequence');
  assert.deepEqual(out.additionalModelResponseFields, { stop_sequence: stop });
});

test('Converse with a PDF and a text document counts them as input', async () => {
  const contract = { document: { format: 'pdf', name: 'Contract (signed)', source: { bytes: new Uint8Array(4000) } } };
  const policy = { document: { format: 'txt', name: 'Data policy', source: { bytes: new TextEncoder().encode('EU data stays in the EU. ') } } };
  const out = await runtime('eu-west-1').send(new ConverseCommand({
    modelId: NOVA, messages: [{ role: 'user', content: [{ text: 'Compare' }, contract, policy] }],
  }));
  assert.ok(out.usage.inputTokens >= 1000, `inputTokens ${out.usage.inputTokens}`);
});

test('CountTokens is what Converse charges, counted in an EU member state', async () => {
  const client = runtime('eu-south-1');
  let region;
  client.middlewareStack.add((next) => async (args) => {
    const result = await next(args);
    region = result.response.headers['x-meridian-inference-region'];
    return result;
  }, { step: 'deserialize', name: 'captureRegion' });
  const counted = await client.send(new CountTokensCommand({ modelId: NOVA, input: { converse: { messages: question } } }));
  const charged = await runtime('eu-south-1').send(new ConverseCommand({ modelId: NOVA, messages: question }));
  assert.equal(counted.inputTokens, charged.usage.inputTokens);
  assert.ok(EU.has(region), `counted in ${region}`);
});

test('ConverseStream relays events in order', async () => {
  const out = await runtime('eu-west-1').send(new ConverseStreamCommand({ modelId: NOVA, messages: question }));
  const kinds = [];
  let text = '';
  for await (const event of out.stream) {
    const kind = Object.keys(event)[0];
    kinds.push(kind);
    if (kind === 'contentBlockDelta') text += event.contentBlockDelta.delta.text;
  }
  assert.equal(kinds[0], 'messageStart');
  assert.deepEqual(kinds.slice(-2), ['messageStop', 'metadata']);
  assert.ok(text.length > 0);
});

test('InvokeModel with an Anthropic Messages body', async () => {
  const body = JSON.stringify({
    anthropic_version: 'bedrock-2023-05-31', max_tokens: 100,
    messages: [{ role: 'user', content: 'Hello' }],
  });
  const out = await runtime('eu-west-3').send(new InvokeModelCommand({
    modelId: 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0', contentType: 'application/json', body,
  }));
  const parsed = JSON.parse(new TextDecoder().decode(out.body));
  assert.equal(parsed.type, 'message');
  assert.ok(parsed.content[0].text.length > 0);
});

test('InvokeModelWithResponseStream with a Nova body ends with invocation metrics', async () => {
  const body = JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'Hi' }] }], inferenceConfig: { max_new_tokens: 50 } });
  const out = await runtime('eu-west-3').send(new InvokeModelWithResponseStreamCommand({
    modelId: NOVA, contentType: 'application/json', body,
  }));
  const chunks = [];
  for await (const event of out.body) {
    if (event.chunk) chunks.push(JSON.parse(new TextDecoder().decode(event.chunk.bytes)));
  }
  assert.ok(chunks[0].messageStart);
  assert.ok(chunks.at(-1)['amazon-bedrock-invocationMetrics'].outputTokenCount > 0);
});

test('ListInferenceProfiles shows only what is invocable from the source region', async () => {
  const out = await control('eu-central-1').send(new ListInferenceProfilesCommand({ typeEquals: 'SYSTEM_DEFINED' }));
  const ids = out.inferenceProfileSummaries.map((p) => p.inferenceProfileId);
  assert.ok(ids.includes(NOVA));
  assert.ok(!ids.some((id) => id.startsWith('us.')));
});

test('CreateInferenceProfile then Get it', async () => {
  const client = control('eu-central-1');
  const created = await client.send(new CreateInferenceProfileCommand({
    inferenceProfileName: `js-team-${Date.now()}`,
    modelSource: { copyFrom: `arn:aws:bedrock:eu-central-1:111122223333:inference-profile/${NOVA}` },
    tags: [{ key: 'team', value: 'js' }],
  }));
  assert.match(created.inferenceProfileArn, /application-inference-profile\/[a-z0-9]{12}$/);
  const got = await client.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: created.inferenceProfileArn }));
  assert.equal(got.type, 'APPLICATION');
  assert.match(got.inferenceProfileName, /^js-team-/);
});

test('wrong secret is InvalidSignatureException', async () => {
  const client = new BedrockRuntimeClient({
    endpoint, region: 'eu-west-1', maxAttempts: 1,
    credentials: { accessKeyId: demo.accessKeyId, secretAccessKey: 'wrong' },
  });
  await assert.rejects(client.send(new ConverseCommand({ modelId: NOVA, messages: question })),
    (e) => e.name === 'InvalidSignatureException' && e.$metadata.httpStatusCode === 403);
});

test('unknown access key is UnrecognizedClientException', async () => {
  const client = new BedrockRuntimeClient({
    endpoint, region: 'eu-west-1', maxAttempts: 1, credentials: { accessKeyId: 'AKIANOBODY', secretAccessKey: 'x' },
  });
  await assert.rejects(client.send(new ConverseCommand({ modelId: NOVA, messages: question })),
    (e) => e.name === 'UnrecognizedClientException');
});

test("a prompt longer than the model's context window is a ValidationException", async () => {
  const tooLong = [{ role: 'user', content: [{ text: 'word '.repeat(200_000) }] }];
  await assert.rejects(
    runtime('eu-west-1').send(new ConverseCommand({ modelId: 'eu.anthropic.claude-haiku-4-5-20251001-v1:0', messages: tooLong })),
    (e) => e.name === 'ValidationException' && e.$metadata?.httpStatusCode === 400
      && e.message.includes("the prompt is 200000 tokens, the model's context window 200000"));
});

test('a signature from 20 minutes ago is expired', async () => {
  const client = runtime('eu-west-1', { systemClockOffset: -20 * 60 * 1000 });
  await assert.rejects(client.send(new ConverseCommand({ modelId: NOVA, messages: question })),
    (e) => e.name === 'InvalidSignatureException' && /expired/i.test(e.message));
});

test('an oversize body is refused quickly and the gateway keeps serving', async () => {
  const big = 'x'.repeat(26 * 1000 * 1000);
  // Over HTTP/1.1 the answer is 413 ValidationException. This client speaks HTTP/2, where the gateway (Armeria)
  // refuses the stream in one of three ways, depending on timing (all three seen with a raw Node HTTP/2 client):
  // a 413 then RST_STREAM(CANCEL); RST_STREAM(ENHANCE_YOUR_CALM), which the SDK reports as ERR_HTTP2_STREAM_ERROR;
  // or RST_STREAM(CANCEL) alone, which the SDK reports as "http2 request did not get a response". All three refuse
  // the request at once; five attempts check that none of them hangs and the gateway keeps serving.
  for (let attempt = 0; attempt < 5; attempt++) {
    await assert.rejects(
      runtime('eu-west-1').send(new ConverseCommand({ modelId: NOVA, messages: [{ role: 'user', content: [{ text: big }] }] })),
      (e) => (e.$metadata?.httpStatusCode === 413 && e.name === 'ValidationException')
        || e.code === 'ERR_HTTP2_STREAM_ERROR'
        || /http2 request did not get a response/.test(e.message));
  }
  const out = await runtime('eu-west-1').send(new ConverseCommand({ modelId: NOVA, messages: question }));
  assert.equal(out.stopReason, 'end_turn');
});
