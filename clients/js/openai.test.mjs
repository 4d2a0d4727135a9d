// Meridian's OpenAI-compatible surface driven by the official `openai` npm package. MERIDIAN_ENDPOINT names a
// running gateway with the demo API key (source region eu-central-1); JavaScriptSdkIT runs this file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { BedrockOpenAI } from 'openai/bedrock';

const client = new OpenAI({ baseURL: `${process.env.MERIDIAN_ENDPOINT}/v1`, apiKey: 'meridian-demo-api-key', maxRetries: 0 });
const EU = new Set(['eu-central-1', 'eu-west-1', 'eu-west-3', 'eu-north-1', 'eu-south-1', 'eu-south-2']);

test('chat completion through the EU profile is processed in the EU', async () => {
  const { data, response } = await client.chat.completions
    .create({ model: 'eu.amazon.nova-2-lite-v1:0', messages: [{ role: 'user', content: 'Hello' }] })
    .withResponse();
  assert.ok(EU.has(response.headers.get('x-meridian-inference-region')));
  assert.ok(data.choices[0].message.content.length > 0);
  assert.equal(data.choices[0].finish_reason, 'stop');
  assert.ok(data.usage.total_tokens > 0);
});

test('streamed chat completion ends with usage', async () => {
  const stream = await client.chat.completions.create({
    model: 'eu.amazon.nova-2-lite-v1:0', messages: [{ role: 'user', content: 'Stream please' }],
    stream: true, stream_options: { include_usage: true },
  });
  let text = '';
  let usage;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta?.content ?? '';
    if (chunk.usage) usage = chunk.usage;
  }
  assert.ok(text.length > 0);
  assert.ok(usage.completion_tokens > 0);
});

test('n choices, streamed, are assembled by the SDK\'s stream helper as the whole answer\'s', async () => {
  const ask = { model: 'eu.amazon.nova-2-lite-v1:0', messages: [{ role: 'user', content: 'Hello' }], n: 2, seed: 7 };
  const whole = await client.chat.completions.create(ask);
  assert.deepEqual(whole.choices.map((c) => c.index), [0, 1]);
  assert.notEqual(whole.choices[0].message.content, whole.choices[1].message.content);
  // how the chunks interleave depends on when each choice's tokens come (ChoiceStreamsTest pins the writing down)
  const assembled = await client.chat.completions.stream(ask).finalChatCompletion();
  assert.deepEqual(assembled.choices.map((c) => c.message.content), whole.choices.map((c) => c.message.content));
});

test('reasoning_effort answers with reasoning_content', async () => {
  const out = await client.chat.completions.create({
    model: 'eu.amazon.nova-2-lite-v1:0', messages: [{ role: 'user', content: 'Hello' }], reasoning_effort: 'low',
  });
  assert.ok(out.choices[0].message.reasoning_content.length > 0);
  assert.ok(out.choices[0].message.content.length > 0);
});

test('a file part is read as a document, a file_id refused', async () => {
  const pdf = `data:application/pdf;base64,${Buffer.alloc(4000).toString('base64')}`;
  const out = await client.chat.completions.create({
    model: 'eu.amazon.nova-2-lite-v1:0',
    messages: [{ role: 'user', content: [
      { type: 'text', text: 'Summarise' },
      { type: 'file', file: { file_data: pdf, filename: 'Q3 report.pdf' } },
    ] }],
  });
  assert.ok(out.usage.prompt_tokens >= 1000, `prompt_tokens ${out.usage.prompt_tokens}`);
  await assert.rejects(
    client.chat.completions.create({
      model: 'eu.amazon.nova-2-lite-v1:0',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Read' }, { type: 'file', file: { file_id: 'file-abc123' } }] }],
    }),
    (e) => e.status === 400 && /file_id is not supported/.test(e.message),
  );
});

test('models lists what the key can invoke', async () => {
  const ids = [];
  for await (const model of client.models.list()) ids.push(model.id);
  assert.ok(ids.includes('eu.amazon.nova-2-lite-v1:0'));
  assert.ok(!ids.includes('us.amazon.nova-2-lite-v1:0'));
});

test('models.retrieve finds a profile (its id has a colon) and 404s one the key cannot invoke', async () => {
  const model = await client.models.retrieve('eu.amazon.nova-2-lite-v1:0');
  assert.equal(model.id, 'eu.amazon.nova-2-lite-v1:0');
  assert.equal(model.object, 'model');
  await assert.rejects(client.models.retrieve('us.amazon.nova-2-lite-v1:0'),
    (e) => e.status === 404 && e.code === 'model_not_found');
});

test('max_tokens above the model\'s limit is a 400 naming the parameter', async () => {
  await assert.rejects(
    client.chat.completions.create({ model: 'eu.amazon.nova-2-lite-v1:0', max_tokens: 1000000, messages: [{ role: 'user', content: 'x' }] }),
    (e) => e.status === 400 && e.param === 'max_tokens' && /at most 65536/.test(e.message));
});

test('a profile not offered in the key\'s region is a 400 naming the alternatives', async () => {
  await assert.rejects(
    client.chat.completions.create({ model: 'us.amazon.nova-2-lite-v1:0', messages: [{ role: 'user', content: 'x' }] }),
    (e) => e.status === 400 && /eu\.amazon\.nova-2-lite-v1:0/.test(e.message));
});

test('a wrong API key is 401', async () => {
  const bad = new OpenAI({ baseURL: `${process.env.MERIDIAN_ENDPOINT}/v1`, apiKey: 'nope', maxRetries: 0 });
  await assert.rejects(bad.chat.completions.create({ model: 'eu.amazon.nova-2-lite-v1:0', messages: [{ role: 'user', content: 'x' }] }),
    (e) => e.status === 401);
});

for (const stream of [false, true]) {
  test(`runTools (stream: ${stream}) calls the tool the model asks for, sends its result back, ends with text`, async () => {
    const cities = [];
    const runner = client.chat.completions.runTools({
      model: 'eu.amazon.nova-2-lite-v1:0', stream,
      messages: [{ role: 'user', content: 'Weather in Milan?' }],
      tools: [{
        type: 'function',
        function: {
          name: 'get_weather', description: 'Weather in a city', parse: JSON.parse,
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          function: ({ city }) => { cities.push(city); return { city, celsius: 21 }; },
        },
      }],
    });
    const content = await runner.finalContent();
    assert.equal(cities.length, 1);
    assert.equal(typeof cities[0], 'string');
    assert.ok(content.length > 0);
    assert.deepEqual(runner.messages.map((m) => m.role), ['user', 'assistant', 'tool', 'assistant']);
  });
}

test('tool_choice none answers in text though tools are offered; penalties and a seed are taken', async () => {
  const completion = await client.chat.completions.create({
    model: 'eu.amazon.nova-2-lite-v1:0', messages: [{ role: 'user', content: 'Weather in Milan?' }],
    tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
    tool_choice: 'none', frequency_penalty: 0.4, presence_penalty: 0.2, seed: 7,
  });
  assert.equal(completion.choices[0].finish_reason, 'stop');
  assert.equal(completion.choices[0].message.tool_calls ?? undefined, undefined);
  assert.ok(completion.choices[0].message.content.length > 0);
});

test('logit_bias is taken with token ids, and a key that is not one is refused in OpenAI\'s words', async () => {
  const completion = await client.chat.completions.create({
    model: 'eu.amazon.nova-2-lite-v1:0', messages: [{ role: 'user', content: 'Hello' }],
    logit_bias: { 50256: -100, 9906: 5 },
  });
  assert.ok(completion.choices[0].message.content.length > 0);
  await assert.rejects(
    client.chat.completions.create({
      model: 'eu.amazon.nova-2-lite-v1:0', messages: [{ role: 'user', content: 'Hello' }],
      logit_bias: { Hello: 5 },
    }),
    (e) => e instanceof OpenAI.BadRequestError && e.param === 'logit_bias'
      && e.message.includes("Invalid key in 'logit_bias': Hello."),
  );
});

test('logprobs: the stream helper assembles the chunks\' tokens into what a whole completion reports', async () => {
  const params = {
    model: 'eu.amazon.nova-2-lite-v1:0', messages: [{ role: 'user', content: 'Hello' }],
    logprobs: true, top_logprobs: 3,
  };
  const whole = await client.chat.completions.create(params);
  const tokens = whole.choices[0].logprobs.content;
  assert.equal(tokens.map((t) => t.token).join(''), whole.choices[0].message.content);
  for (const t of tokens) {
    assert.ok(t.logprob < 0);
    assert.equal(Buffer.from(t.bytes).toString('utf8'), t.token);
    assert.equal(t.top_logprobs.length, 3);
  }
  const assembled = await client.chat.completions.stream(params).finalChatCompletion();
  assert.deepEqual(assembled.choices[0].logprobs.content, tokens);
  assert.equal(assembled.choices[0].message.content, whole.choices[0].message.content);
});

test('responses: a whole answer, and the stream helper\'s final response equal to its deltas', async () => {
  const { data, response } = await client.responses
    .create({ model: 'eu.amazon.nova-2-lite-v1:0', input: 'Hello', instructions: 'Be brief.' })
    .withResponse();
  assert.ok(EU.has(response.headers.get('x-meridian-inference-region')));
  assert.equal(data.status, 'completed');
  assert.ok(data.output_text.length > 0);
  const stream = client.responses.stream({ model: 'eu.amazon.nova-2-lite-v1:0', input: 'Stream please' });
  let deltas = '';
  for await (const event of stream) {
    if (event.type === 'response.output_text.delta') deltas += event.delta;
  }
  const final = await stream.finalResponse();
  assert.ok(deltas.length > 0);
  assert.equal(final.output_text, deltas);
});

test('responses: Claude\'s signed thinking goes back in encrypted_content, and altered thinking is refused', async () => {
  const asked = {
    model: 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0', max_output_tokens: 2000,
    reasoning: { effort: 'high', summary: 'auto' },
    include: ['reasoning.encrypted_content'],
    tools: [{ type: 'function', name: 'get_weather', strict: false, parameters: { type: 'object' } }],
  };
  const question = [{ role: 'user', content: 'What is the weather in Paris?' }];
  const first = await client.responses.create({ ...asked, input: question, tool_choice: 'required' });
  const [thinking] = first.output;
  const call = first.output.find((item) => item.type === 'function_call');
  assert.equal(thinking.type, 'reasoning');
  assert.ok(thinking.encrypted_content.startsWith('signature:'));
  assert.equal(thinking.summary[0].text, thinking.content[0].text);
  const output = { type: 'function_call_output', call_id: call.call_id, output: 'Sunny.' };
  const second = await client.responses.create({ ...asked, input: [...question, ...first.output, output] });
  assert.equal(second.status, 'completed');
  const altered = { ...thinking, content: [{ type: 'reasoning_text', text: 'Altered.' }] };
  await assert.rejects(
    client.responses.create({ ...asked, input: [...question, altered, ...first.output.slice(1), output] }),
    (e) => e.status === 400 && /Invalid `signature`/.test(e.message),
  );
});

test('responses: a function call answered by the caller\'s output items; previous_response_id refused', async () => {
  const tools = [{
    type: 'function', name: 'get_weather', description: 'The weather in a city', strict: false,
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  }];
  const question = [{ role: 'user', content: 'What is the weather in Paris?' }];
  const first = await client.responses.create({
    model: 'eu.amazon.nova-2-lite-v1:0', input: question, tools, tool_choice: 'required',
  });
  const call = first.output.find((item) => item.type === 'function_call');
  assert.equal(call.name, 'get_weather');
  const second = await client.responses.create({
    model: 'eu.amazon.nova-2-lite-v1:0', tools,
    input: [...question, ...first.output, { type: 'function_call_output', call_id: call.call_id, output: 'Sunny.' }],
  });
  assert.equal(second.status, 'completed');
  assert.ok(second.output_text.length > 0);
  await assert.rejects(
    client.responses.create({ model: 'eu.amazon.nova-2-lite-v1:0', input: 'And then?', previous_response_id: 'resp_1' }),
    (e) => e.status === 400 && e.param === 'previous_response_id',
  );
});

test('the SDK\'s own Bedrock client (BedrockOpenAI) on /openai/v1, as at Bedrock\'s OpenAI-compatible endpoint', async () => {
  const bedrock = new BedrockOpenAI({
    baseURL: `${process.env.MERIDIAN_ENDPOINT}/openai/v1`, apiKey: 'meridian-demo-api-key', maxRetries: 0,
  });
  const { data, response } = await bedrock.chat.completions
    .create({ model: 'eu.amazon.nova-2-lite-v1:0', messages: [{ role: 'user', content: 'Hello' }] })
    .withResponse();
  assert.ok(EU.has(response.headers.get('x-meridian-inference-region')));
  assert.ok(data.choices[0].message.content.length > 0);
  const final = await bedrock.responses.stream({ model: 'eu.amazon.nova-2-lite-v1:0', input: 'Stream please' }).finalResponse();
  assert.equal(final.status, 'completed');
  assert.ok(final.output_text.length > 0);
});
