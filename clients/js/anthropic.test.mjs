// Meridian driven by Anthropic's own SDK for Bedrock (`@anthropic-ai/bedrock-sdk`), both of its clients:
// `AnthropicBedrock` rewrites Messages API requests to InvokeModel and InvokeModelWithResponseStream, and
// `AnthropicBedrockMantle` calls Bedrock's Messages endpoint (`/anthropic/v1/messages`, server-sent events), each
// SigV4-signed or with a Bedrock API key. Its 1.x releases put Anthropic's API version (2026-10-21) into the body, which Claude
// models up to 4.6 do not take on Bedrock's InvokeModel; the client pins `bedrock-2023-05-31`, as Anthropic's
// documentation tells their callers to. MERIDIAN_ENDPOINT names a running gateway with the demo credentials;
// JavaScriptSdkIT starts one and runs this file with `node --test`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnthropicBedrock, AnthropicBedrockMantle } from '@anthropic-ai/bedrock-sdk';

const EU = new Set(['eu-central-1', 'eu-west-1', 'eu-west-3', 'eu-north-1', 'eu-south-1', 'eu-south-2']);
const CLAUDE = 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0';

function claude(awsRegion, extra = {}) {
  return new AnthropicBedrock({
    baseURL: process.env.MERIDIAN_ENDPOINT, awsRegion, awsAccessKey: 'AKIAMERIDIANDEMO',
    awsSecretKey: 'meridian-demo-secret', maxRetries: 0,
    defaultHeaders: { 'anthropic-version': 'bedrock-2023-05-31' }, ...extra,
  });
}

const WEATHER = [{
  name: 'get_weather', description: 'The weather in a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
}];

test('messages.create from Paris is answered in an EU region, SigV4-signed', async () => {
  const { data, response } = await claude('eu-west-3')
    .messages.create({ model: CLAUDE, max_tokens: 200, messages: [{ role: 'user', content: 'Hello' }] })
    .withResponse();
  assert.ok(EU.has(response.headers.get('x-meridian-inference-region')));
  assert.equal(data.role, 'assistant');
  assert.equal(data.content[0].type, 'text');
  assert.ok(data.content[0].text.length > 0);
  assert.ok(data.usage.input_tokens > 0 && data.usage.output_tokens > 0);
});

test('the SDK\'s own API version is refused with how to pin the one these models take', async () => {
  await assert.rejects(
    claude('eu-west-3', { defaultHeaders: {} })
      .messages.create({ model: CLAUDE, max_tokens: 100, messages: [{ role: 'user', content: 'Hello' }] }),
    (e) => e.status === 400 && /anthropic_version: 2026-10-21/.test(e.message)
      && /set their anthropic-version header to bedrock-2023-05-31/.test(e.message),
  );
});

test('messages.create with a Bedrock API key', async () => {
  const data = await claude('eu-west-3', { apiKey: 'meridian-demo-api-key' })
    .messages.create({ model: CLAUDE, max_tokens: 100, messages: [{ role: 'user', content: 'Hello' }] });
  assert.ok(data.content[0].text.length > 0);
});

test('messages.stream: the SDK rebuilds the streamed message from the event stream', async () => {
  const stream = claude('eu-central-1').messages.stream({
    model: CLAUDE, max_tokens: 200, system: 'Be brief.', messages: [{ role: 'user', content: 'Stream please' }],
  });
  let deltas = '';
  stream.on('text', (text) => { deltas += text; });
  const message = await stream.finalMessage();
  assert.ok(deltas.length > 0);
  assert.equal(message.content[0].text, deltas);
  assert.ok(['end_turn', 'max_tokens'].includes(message.stop_reason));
  assert.ok(message.usage.output_tokens > 0);
});

test('a tool call with thinking: the signed thinking goes back with the tool result', async () => {
  const client = claude('eu-west-1');
  const asked = { model: CLAUDE, max_tokens: 2000, tools: WEATHER, thinking: { type: 'enabled', budget_tokens: 1024 } };
  const question = { role: 'user', content: 'What is the weather in Paris? Use the tool.' };
  const first = await client.messages.stream({ ...asked, messages: [question] }).finalMessage();
  const [thinking] = first.content;
  const call = first.content.find((block) => block.type === 'tool_use');
  assert.equal(thinking.type, 'thinking');
  assert.ok(thinking.signature.length > 0);
  assert.equal(first.stop_reason, 'tool_use');
  assert.equal(call.name, 'get_weather');
  const result = { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: 'Sunny, 21 degrees.' }] };
  const second = await client.messages.create({
    ...asked, messages: [question, { role: 'assistant', content: first.content }, result],
  });
  assert.equal(second.stop_reason, 'end_turn');
  const altered = first.content.map((block) => (block.type === 'thinking' ? { ...block, thinking: 'Altered.' } : block));
  await assert.rejects(
    client.messages.create({ ...asked, messages: [question, { role: 'assistant', content: altered }, result] }),
    (e) => e.status === 400 && /Invalid `signature`/.test(e.message),
  );
});

test('bad input is a 400 the SDK reports as BadRequestError; an unknown model a 404', async () => {
  const client = claude('eu-west-3');
  await assert.rejects(
    client.messages.create({ model: CLAUDE, max_tokens: 100, temperature: 7, messages: [{ role: 'user', content: 'x' }] }),
    (e) => e.status === 400 && e.constructor.name === 'BadRequestError' && /temperature/.test(e.message),
  );
  await assert.rejects(
    client.messages.create({ model: 'eu.anthropic.claude-none', max_tokens: 100, messages: [{ role: 'user', content: 'x' }] }),
    (e) => e.status === 404 && e.constructor.name === 'NotFoundError',
  );
});

function mantle(awsRegion, extra = {}) {
  return new AnthropicBedrockMantle({
    baseURL: `${process.env.MERIDIAN_ENDPOINT}/anthropic`, awsRegion, awsAccessKey: 'AKIAMERIDIANDEMO',
    awsSecretAccessKey: 'meridian-demo-secret', maxRetries: 0, ...extra,
  });
}

test('Messages endpoint: create through the EU profile from Frankfurt, SigV4-signed for bedrock-mantle', async () => {
  const { data, response, request_id } = await mantle('eu-central-1')
    .messages.create({ model: CLAUDE, max_tokens: 200, messages: [{ role: 'user', content: 'Hello' }] })
    .withResponse();
  assert.ok(EU.has(response.headers.get('x-meridian-inference-region')));
  assert.ok(request_id.length > 0);
  assert.equal(data.model, CLAUDE);
  assert.ok(data.content[0].text.length > 0);
  assert.ok(data.usage.input_tokens > 0);
});

test('Messages endpoint: stream with the SDK\'s default API version (2026-10-21) and an API key', async () => {
  const stream = mantle('eu-central-1', { apiKey: 'meridian-demo-api-key' }).messages.stream({
    model: CLAUDE, max_tokens: 200, messages: [{ role: 'user', content: 'Stream please' }],
  });
  let deltas = '';
  stream.on('text', (text) => { deltas += text; });
  const message = await stream.finalMessage();
  assert.ok(deltas.length > 0);
  assert.equal(message.content[0].text, deltas);
  assert.ok(message.usage.output_tokens > 0);
});

test('Messages endpoint: countTokens counts the message where the model runs', async () => {
  const count = await mantle('eu-west-3').messages.countTokens({
    model: CLAUDE, system: 'Be brief.', messages: [{ role: 'user', content: 'How many tokens is this?' }],
  });
  assert.ok(count.input_tokens > 0);
});

test('Messages endpoint: a tool loop with thinking, streamed, the signed thinking sent back', async () => {
  const client = mantle('eu-west-3');
  const asked = { model: CLAUDE, max_tokens: 2000, tools: WEATHER, thinking: { type: 'enabled', budget_tokens: 1024 } };
  const question = { role: 'user', content: 'What is the weather in Paris? Use the tool.' };
  const first = await client.messages.stream({ ...asked, messages: [question] }).finalMessage();
  const call = first.content.find((block) => block.type === 'tool_use');
  assert.equal(first.content[0].type, 'thinking');
  assert.equal(call.name, 'get_weather');
  const result = { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: 'Sunny.' }] };
  const second = await client.messages.create({
    ...asked, messages: [question, { role: 'assistant', content: first.content }, result],
  });
  assert.equal(second.stop_reason, 'end_turn');
});

test('Messages endpoint: errors in Anthropic\'s shape, mapped to the SDK\'s classes', async () => {
  const client = mantle('eu-west-3');
  const hello = [{ role: 'user', content: 'x' }];
  await assert.rejects(
    client.messages.create({ model: CLAUDE, max_tokens: 100, temperature: 0.5, messages: hello }),
    (e) => e.status === 400 && e.constructor.name === 'BadRequestError' && e.error.error.type === 'invalid_request_error'
      && /temperature: not supported in API version 2026-10-21/.test(e.message),
  );
  const classic = await mantle('eu-west-3', { defaultHeaders: { 'anthropic-version': '2023-06-01' } })
    .messages.create({ model: CLAUDE, max_tokens: 100, temperature: 0.5, messages: hello });
  assert.ok(classic.content[0].text.length > 0);
  await assert.rejects(
    client.messages.create({ model: 'eu.anthropic.claude-none', max_tokens: 100, messages: hello }),
    (e) => e.status === 404 && e.error.error.type === 'not_found_error',
  );
  await assert.rejects(
    client.messages.create({ model: 'eu.amazon.nova-2-lite-v1:0', max_tokens: 100, messages: hello }),
    (e) => e.status === 400 && /not a Claude model/.test(e.message),
  );
  await assert.rejects(
    mantle('eu-west-3', { awsSecretAccessKey: 'wrong' }).messages.create({ model: CLAUDE, max_tokens: 10, messages: hello }),
    (e) => e.status === 401 && e.constructor.name === 'AuthenticationError',
  );
});
