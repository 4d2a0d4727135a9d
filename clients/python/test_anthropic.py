"""Meridian driven by Anthropic's Python SDK for Bedrock (`anthropic[bedrock]`), both of its clients.

`AnthropicBedrock` rewrites Messages API requests to InvokeModel and InvokeModelWithResponseStream, with
`anthropic_version: bedrock-2023-05-31` in the body (unlike the JavaScript SDK's 1.x, which sends its own API version
there unless pinned). `AnthropicBedrockMantle` calls Bedrock's Messages endpoint (`/anthropic/v1/messages`). MERIDIAN_ENDPOINT names a
running gateway with the demo credentials; PythonSdkIT runs this file with `python -m unittest`.
"""

import asyncio
import os
import unittest

import anthropic

ENDPOINT = os.environ["MERIDIAN_ENDPOINT"]
EU = {"eu-central-1", "eu-west-1", "eu-west-3", "eu-north-1", "eu-south-1", "eu-south-2"}
CLAUDE = "eu.anthropic.claude-sonnet-4-5-20250929-v1:0"
DEMO = {"aws_access_key": "AKIAMERIDIANDEMO", "aws_secret_key": "meridian-demo-secret"}
WEATHER = [{"name": "get_weather", "description": "The weather in a city",
            "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}]
QUESTION = {"role": "user", "content": "What is the weather in Paris? Use the tool."}


def invoke_model(region="eu-west-3", **extra):
    options = {"aws_region": region, "base_url": ENDPOINT, "max_retries": 0, **DEMO}
    return anthropic.AnthropicBedrock(**{**options, **extra})


def mantle(region="eu-west-3", **extra):
    options = {"aws_region": region, "base_url": f"{ENDPOINT}/anthropic", "max_retries": 0, **DEMO}
    return anthropic.AnthropicBedrockMantle(**{**options, **extra})


class InvokeModel(unittest.TestCase):
    def test_create_is_answered_in_an_eu_region(self):
        raw = invoke_model().messages.with_raw_response.create(
            model=CLAUDE, max_tokens=200, messages=[{"role": "user", "content": "Hello"}])
        self.assertIn(raw.headers["x-meridian-inference-region"], EU)
        message = raw.parse()
        self.assertEqual(message.content[0].type, "text")
        self.assertTrue(message.content[0].text)

    def test_an_api_version_these_models_do_not_take_is_refused_saying_how_to_pin_it(self):
        with self.assertRaises(anthropic.BadRequestError) as raised:
            invoke_model().messages.create(model=CLAUDE, max_tokens=100, messages=[{"role": "user", "content": "Hi"}],
                                           extra_body={"anthropic_version": "2026-10-21"})
        self.assertIn("set their anthropic-version header to bedrock-2023-05-31", raised.exception.message)

    def test_stream_and_a_tool_loop_with_thinking_sent_back_signed(self):
        client = invoke_model()
        asked = {"model": CLAUDE, "max_tokens": 2000, "tools": WEATHER,
                 "thinking": {"type": "enabled", "budget_tokens": 1024}}
        with client.messages.stream(messages=[QUESTION], **asked) as stream:
            first = stream.get_final_message()
        call = next(block for block in first.content if block.type == "tool_use")
        self.assertEqual(first.content[0].type, "thinking")
        self.assertEqual(first.stop_reason, "tool_use")
        result = {"role": "user", "content": [{"type": "tool_result", "tool_use_id": call.id, "content": "Sunny."}]}
        second = client.messages.create(
            messages=[QUESTION, {"role": "assistant", "content": first.content}, result], **asked)
        self.assertEqual(second.stop_reason, "end_turn")


class MessagesEndpoint(unittest.TestCase):
    def test_create_signed_for_bedrock_mantle_with_the_sdks_default_version(self):
        raw = mantle("eu-central-1").messages.with_raw_response.create(
            model=CLAUDE, max_tokens=200, messages=[{"role": "user", "content": "Hello"}])
        self.assertIn(raw.headers["x-meridian-inference-region"], EU)
        message = raw.parse()
        self.assertEqual(message.model, CLAUDE)
        self.assertTrue(message._request_id)
        self.assertTrue(message.content[0].text)

    def test_stream_with_an_api_key_rebuilds_the_message(self):
        with mantle(api_key="meridian-demo-api-key").messages.stream(
                model=CLAUDE, max_tokens=200, messages=[{"role": "user", "content": "Stream please"}]) as stream:
            text = "".join(stream.text_stream)
            message = stream.get_final_message()
        self.assertTrue(text)
        self.assertEqual(message.content[0].text, text)

    def test_the_async_client_and_count_tokens(self):
        async def run():
            client = anthropic.AsyncAnthropicBedrockMantle(
                aws_region="eu-west-1", base_url=f"{ENDPOINT}/anthropic", max_retries=0, **DEMO)
            count = await client.messages.count_tokens(
                model=CLAUDE, messages=[{"role": "user", "content": "How many tokens is this?"}])
            message = await client.messages.create(
                model=CLAUDE, max_tokens=100, messages=[{"role": "user", "content": "Hello"}])
            return count, message
        count, message = asyncio.run(run())
        self.assertGreater(count.input_tokens, 0)
        self.assertGreater(message.usage.input_tokens, 0)

    def test_errors_are_the_sdks_classes(self):
        hello = [{"role": "user", "content": "x"}]
        with self.assertRaises(anthropic.BadRequestError) as raised:
            mantle(default_headers={"anthropic-version": "2026-10-21"}).messages.create(
                model=CLAUDE, max_tokens=100, messages=hello, extra_body={"temperature": 0.5})
        self.assertEqual(raised.exception.body["error"]["type"], "invalid_request_error")
        self.assertIn("not supported in API version 2026-10-21", raised.exception.message)
        classic = mantle().messages.create(model=CLAUDE, max_tokens=100, messages=hello, extra_body={"temperature": 0.5})
        self.assertTrue(classic.content[0].text)  # this SDK's Messages client sends 2023-06-01, which takes it
        with self.assertRaises(anthropic.NotFoundError):
            mantle().messages.create(model="eu.anthropic.claude-none", max_tokens=100, messages=hello)
        with self.assertRaises(anthropic.AuthenticationError):
            mantle(aws_secret_key="wrong").messages.create(model=CLAUDE, max_tokens=100, messages=hello)


if __name__ == "__main__":
    unittest.main()
