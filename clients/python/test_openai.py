"""Meridian's OpenAI-compatible surface driven by the official `openai` Python package.

MERIDIAN_ENDPOINT names a running gateway with the demo API key (source region eu-central-1); PythonSdkIT runs
this file with `python -m unittest`.
"""

import base64
import enum
import os
import unittest

import openai
import pydantic
from openai.lib.bedrock import BedrockOpenAI

ENDPOINT = os.environ["MERIDIAN_ENDPOINT"]
EU = {"eu-central-1", "eu-west-1", "eu-west-3", "eu-north-1", "eu-south-1", "eu-south-2"}
NOVA = "eu.amazon.nova-2-lite-v1:0"
CLAUDE = "eu.anthropic.claude-sonnet-4-5-20250929-v1:0"


def client(api_key="meridian-demo-api-key"):
    return openai.OpenAI(base_url=f"{ENDPOINT}/v1", api_key=api_key, max_retries=0)


class Kind(str, enum.Enum):
    SUNNY = "sunny"
    RAINY = "rainy"


class Day(pydantic.BaseModel):
    date: str
    kind: Kind
    high: int = pydantic.Field(ge=-40, le=-10)


class Forecast(pydantic.BaseModel):
    city: str
    days: list[Day] = pydantic.Field(min_length=3, max_length=3)
    note: str | None


def ask(text):
    return [{"role": "user", "content": text}]


class ChatCompletions(unittest.TestCase):
    def test_chat_completion_through_the_eu_profile_is_processed_in_the_eu(self):
        raw = client().chat.completions.with_raw_response.create(model=NOVA, messages=ask("Hello"))
        self.assertIn(raw.headers["x-meridian-inference-region"], EU)
        completion = raw.parse()
        self.assertTrue(completion.choices[0].message.content)
        self.assertEqual(completion.choices[0].finish_reason, "stop")
        self.assertGreater(completion.usage.total_tokens, 0)

    def test_streamed_chat_completion_ends_with_usage(self):
        stream = client().chat.completions.create(
            model=NOVA, messages=ask("Stream please"), stream=True, stream_options={"include_usage": True})
        text, usage = "", None
        for chunk in stream:
            if chunk.choices and chunk.choices[0].delta.content:
                text += chunk.choices[0].delta.content
            if chunk.usage:
                usage = chunk.usage
        self.assertTrue(text)
        self.assertGreater(usage.completion_tokens, 0)

    def test_a_tool_call_round_trip(self):
        tools = [{"type": "function", "function": {
            "name": "get_weather", "description": "Weather in a city",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}]
        first = client().chat.completions.create(
            model=NOVA, messages=ask("Weather in Paris?"), tools=tools, tool_choice="required")
        call = first.choices[0].message.tool_calls[0]
        self.assertEqual(call.function.name, "get_weather")
        second = client().chat.completions.create(model=NOVA, tools=tools, messages=ask("Weather in Paris?") + [
            first.choices[0].message.model_dump(exclude_none=True),
            {"role": "tool", "tool_call_id": call.id, "content": "18 degrees, sunny"}])
        self.assertTrue(second.choices[0].message.content)

    def test_penalties_and_seed_are_taken(self):
        answer = client().chat.completions.create(
            model=NOVA, messages=ask("Hello"), frequency_penalty=0.7, presence_penalty=-0.2, seed=1234)
        self.assertTrue(answer.choices[0].message.content)

    def test_n_answers_that_many_choices_made_in_one_region(self):
        answer = client().chat.completions.with_raw_response.create(
            model=NOVA, messages=ask("Hello"), n=2, seed=11)
        completion = answer.parse()
        self.assertEqual([c.index for c in completion.choices], [0, 1])
        self.assertNotEqual(completion.choices[0].message.content, completion.choices[1].message.content)
        self.assertEqual(len(answer.headers.get_list("x-meridian-inference-region")), 1)
        streamed = ["", ""]
        usage = None
        for chunk in client().chat.completions.create(
                model=NOVA, messages=ask("Hello"), n=2, seed=11, stream=True,
                stream_options={"include_usage": True}):
            for c in chunk.choices:
                streamed[c.index] += c.delta.content or ""
            usage = chunk.usage or usage
        self.assertEqual(streamed, [c.message.content for c in completion.choices])
        self.assertEqual(usage.completion_tokens, completion.usage.completion_tokens)
        with client().chat.completions.stream(model=NOVA, messages=ask("Hello"), n=2, seed=11) as stream:
            assembled = stream.get_final_completion()  # the SDK's helper, which assembles interleaved choices
        self.assertEqual([c.message.content for c in assembled.choices],
                         [c.message.content for c in completion.choices])

    def test_reasoning_effort_answers_with_reasoning_content(self):
        answer = client().chat.completions.create(model=NOVA, messages=ask("Hello"), reasoning_effort="low")
        thinking = answer.choices[0].message.model_extra["reasoning_content"]
        self.assertTrue(thinking)
        streamed = "".join(
            (chunk.choices[0].delta.model_extra or {}).get("reasoning_content", "")
            for chunk in client().chat.completions.create(
                model=NOVA, messages=ask("Hello"), reasoning_effort="low", stream=True)
            if chunk.choices)
        self.assertEqual(streamed, thinking)

    def test_logit_bias_is_taken_with_token_ids_only(self):
        answer = client().chat.completions.create(
            model=NOVA, messages=ask("Hello"), logit_bias={50256: -100, 9906: 5})
        self.assertTrue(answer.choices[0].message.content)
        with self.assertRaises(openai.BadRequestError) as refused:
            client().chat.completions.create(model=NOVA, messages=ask("Hello"), logit_bias={"Hello": 5})
        self.assertEqual(refused.exception.param, "logit_bias")
        self.assertIn("Invalid key in 'logit_bias': Hello.", refused.exception.message)

    def test_logprobs_spell_the_answer_whole_and_streamed(self):
        answer = client().chat.completions.create(
            model=NOVA, messages=ask("Hello"), logprobs=True, top_logprobs=2)
        tokens = answer.choices[0].logprobs.content
        self.assertEqual("".join(t.token for t in tokens), answer.choices[0].message.content)
        for t in tokens:
            self.assertLess(t.logprob, 0)
            self.assertEqual(bytes(t.bytes).decode("utf-8"), t.token)
            self.assertEqual(len(t.top_logprobs), 2)
        streamed = []
        for chunk in client().chat.completions.create(
                model=NOVA, messages=ask("Hello"), logprobs=True, top_logprobs=2, stream=True):
            if chunk.choices and chunk.choices[0].logprobs:
                streamed += chunk.choices[0].logprobs.content
        self.assertEqual(streamed, tokens)

    def test_tool_choice_none_answers_in_text_with_the_tools_offered(self):
        tools = [{"type": "function", "function": {
            "name": "get_weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}]
        answer = client().chat.completions.create(
            model=NOVA, messages=ask("Weather in Paris?"), tools=tools, tool_choice="none")
        self.assertEqual(answer.choices[0].finish_reason, "stop")
        self.assertFalse(answer.choices[0].message.tool_calls)
        self.assertTrue(answer.choices[0].message.content)

    def test_structured_output_parses_into_the_callers_model(self):
        # `parse` sends the model's JSON schema (strict) and validates the answer against the class, so the
        # simulated model must answer an instance of the schema, as a constrained decoder does.
        completion = client().chat.completions.parse(
            model=NOVA, messages=ask("Forecast for Paris"), response_format=Forecast)
        forecast = completion.choices[0].message.parsed
        self.assertIsInstance(forecast, Forecast)
        self.assertEqual(len(forecast.days), 3)
        self.assertTrue(all(-40 <= day.high <= -10 for day in forecast.days))

    def test_streamed_strict_tool_call_parses_into_the_callers_model(self):
        # A strict function tool from a pydantic model: the streamed call's arguments are assembled by the SDK and
        # validated against the class, so they must be an instance of the tool's parameter schema.
        tools = [openai.pydantic_function_tool(Forecast, name="publish_forecast")]
        with client().chat.completions.stream(
                model=NOVA, messages=ask("Publish the forecast"), tools=tools, tool_choice="required") as stream:
            final = stream.get_final_completion()
        call = final.choices[0].message.tool_calls[0]
        self.assertEqual(final.choices[0].finish_reason, "tool_calls")
        self.assertEqual(call.function.name, "publish_forecast")
        self.assertIsInstance(call.function.parsed_arguments, Forecast)

    def test_a_file_part_is_read_as_a_document(self):
        pdf = "data:application/pdf;base64," + base64.b64encode(b"%PDF" * 1000).decode()
        out = client().chat.completions.create(model=NOVA, messages=[{"role": "user", "content": [
            {"type": "text", "text": "Summarise"},
            {"type": "file", "file": {"file_data": pdf, "filename": "Q3 report.pdf"}}]}])
        self.assertGreater(out.usage.prompt_tokens, 1000)

    def test_a_system_prompt_alone_is_answered(self):
        out = client().chat.completions.create(
            model=NOVA, messages=[{"role": "system", "content": "Summarise the EU residency rules."}])
        self.assertTrue(out.choices[0].message.content)

    def test_a_tool_call_left_unanswered_is_a_400_in_openais_words(self):
        call = {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{}"}}
        with self.assertRaises(openai.BadRequestError) as raised:
            client().chat.completions.create(model=NOVA, messages=ask("Weather?") + [
                {"role": "assistant", "tool_calls": [call]}, {"role": "user", "content": "and?"}])
        self.assertEqual(raised.exception.param, "messages")
        self.assertIn("did not have response messages: call_1", raised.exception.message)

    def test_max_tokens_above_the_models_limit_is_a_400_naming_the_parameter(self):
        with self.assertRaises(openai.BadRequestError) as raised:
            client().chat.completions.create(model=NOVA, max_tokens=1_000_000, messages=ask("x"))
        self.assertEqual(raised.exception.param, "max_tokens")
        self.assertIn("at most 65536", raised.exception.message)

    def test_a_prompt_and_output_limit_beyond_the_context_window_is_a_400(self):
        # the package's default client, which retries a 500 twice but not a 400
        retrying = openai.OpenAI(base_url=f"{ENDPOINT}/v1", api_key="meridian-demo-api-key")
        with self.assertRaises(openai.BadRequestError) as raised:
            retrying.chat.completions.create(
                model="eu.anthropic.claude-haiku-4-5-20251001-v1:0", max_tokens=2_000,
                messages=ask("word " * 199_000))
        self.assertEqual(raised.exception.type, "invalid_request_error")
        self.assertEqual(raised.exception.code, "context_length_exceeded")
        self.assertIn("199000 + 2000 > 200000 tokens", raised.exception.message)

    def test_a_profile_not_offered_in_the_keys_region_names_the_alternatives(self):
        with self.assertRaises(openai.BadRequestError) as raised:
            client().chat.completions.create(model="us.amazon.nova-2-lite-v1:0", messages=ask("x"))
        self.assertIn(NOVA, raised.exception.message)

    def test_an_argument_openai_does_not_define_is_refused_not_ignored(self):
        # vLLM's top_k passed through extra_body: nothing here would act on it, so it is refused as OpenAI does
        with self.assertRaises(openai.BadRequestError) as raised:
            client().chat.completions.create(model=NOVA, messages=ask("x"), extra_body={"top_k": 5})
        self.assertEqual(raised.exception.body["message"], "Unrecognized request argument supplied: top_k")

    def test_a_wrong_api_key_is_401(self):
        with self.assertRaises(openai.AuthenticationError):
            client("nope").chat.completions.create(model=NOVA, messages=ask("x"))


class Responses(unittest.TestCase):
    """OpenAI's Responses API: stateless, the caller carries the conversation (nothing is stored)."""

    WEATHER = [{"type": "function", "name": "get_weather", "description": "The weather in a city",
                "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}]

    def test_response_through_the_eu_profile_is_processed_in_the_eu(self):
        raw = client().responses.with_raw_response.create(model=NOVA, input="Hello", instructions="Be brief.")
        self.assertIn(raw.headers["x-meridian-inference-region"], EU)
        response = raw.parse()
        self.assertEqual(response.status, "completed")
        self.assertTrue(response.output_text)
        self.assertGreater(response.usage.total_tokens, 0)

    def test_the_stream_helper_ends_with_the_whole_response(self):
        with client().responses.stream(model=NOVA, input="Stream please") as stream:
            deltas = "".join(e.delta for e in stream if e.type == "response.output_text.delta")
            final = stream.get_final_response()
        self.assertTrue(deltas)
        self.assertEqual(final.output_text, deltas)
        self.assertEqual(final.status, "completed")

    def test_a_function_call_is_answered_by_sending_the_output_items_back(self):
        question = [{"role": "user", "content": "What is the weather in Paris?"}]
        first = client().responses.create(model=NOVA, input=question, tools=self.WEATHER, tool_choice="required")
        calls = [item for item in first.output if item.type == "function_call"]
        self.assertEqual(calls[0].name, "get_weather")
        conversation = question + [item.model_dump(exclude_none=True) for item in first.output] + [
            {"type": "function_call_output", "call_id": calls[0].call_id, "output": "Sunny, 21 degrees."}]
        second = client().responses.create(model=NOVA, input=conversation, tools=self.WEATHER)
        self.assertEqual(second.status, "completed")
        self.assertTrue(second.output_text)

    def test_signed_thinking_streamed_goes_back_in_encrypted_content(self):
        question = [{"role": "user", "content": "What is the weather in Paris?"}]
        asked = dict(model=CLAUDE, tools=self.WEATHER, reasoning={"effort": "high", "summary": "auto"},
                     max_output_tokens=2000, include=["reasoning.encrypted_content"])
        with client().responses.stream(input=question, tool_choice="required", **asked) as stream:
            first = stream.get_final_response()
        thinking, call = first.output[0], [item for item in first.output if item.type == "function_call"][0]
        self.assertEqual(thinking.type, "reasoning")
        self.assertTrue(thinking.encrypted_content.startswith("signature:"))
        self.assertEqual(thinking.summary[0].text, thinking.content[0].text)
        sent_back = [item.model_dump(exclude_none=True) for item in first.output]
        output = {"type": "function_call_output", "call_id": call.call_id, "output": "Sunny, 21 degrees."}
        second = client().responses.create(input=question + sent_back + [output], **asked)
        self.assertEqual(second.status, "completed")
        sent_back[0]["content"][0]["text"] = "Altered."
        with self.assertRaises(openai.BadRequestError) as raised:
            client().responses.create(input=question + sent_back + [output], **asked)
        self.assertIn("Invalid `signature`", raised.exception.message)

    def test_parse_returns_an_instance_of_the_pydantic_model(self):
        parsed = client().responses.parse(model=NOVA, input="Forecast for Oslo", text_format=Forecast)
        self.assertIsInstance(parsed.output_parsed, Forecast)
        self.assertEqual(len(parsed.output_parsed.days), 3)

    def test_log_probabilities_come_with_the_text_when_included(self):
        response = client().responses.create(model=NOVA, input="Hello", include=["message.output_text.logprobs"],
                                             top_logprobs=2)
        part = response.output[-1].content[0]
        self.assertEqual("".join(t.token for t in part.logprobs), part.text)
        self.assertTrue(all(len(t.top_logprobs) == 2 for t in part.logprobs))

    def test_what_needs_stored_state_or_built_in_tools_is_refused_naming_it(self):
        with self.assertRaises(openai.BadRequestError) as raised:
            client().responses.create(model=NOVA, input="And then?", previous_response_id="resp_1")
        self.assertEqual(raised.exception.body["param"], "previous_response_id")
        with self.assertRaises(openai.BadRequestError) as raised:
            client().responses.create(model=NOVA, input="Search", tools=[{"type": "web_search"}])
        self.assertEqual(raised.exception.body["param"], "tools[0].type")


class BedrockEndpoint(unittest.TestCase):
    """The SDK's own Bedrock client (`BedrockOpenAI`), pointed at the gateway's `/openai/v1`, as at Bedrock's
    OpenAI-compatible endpoint: SigV4 for the `bedrock-mantle` service, or a Bedrock API key."""

    @staticmethod
    def bedrock(**auth):
        return BedrockOpenAI(aws_region="eu-west-3", base_url=f"{ENDPOINT}/openai/v1", max_retries=0, **auth)

    SIGNED = {"aws_access_key_id": "AKIAMERIDIANDEMO", "aws_secret_access_key": "meridian-demo-secret"}

    def test_chat_and_responses_signed_with_sigv4_are_processed_in_the_eu(self):
        raw = self.bedrock(**self.SIGNED).chat.completions.with_raw_response.create(
            model=NOVA, messages=[{"role": "user", "content": "Hello"}])
        self.assertIn(raw.headers["x-meridian-inference-region"], EU)
        self.assertTrue(raw.parse().choices[0].message.content)
        response = self.bedrock(**self.SIGNED).responses.create(model=NOVA, input="Hello")
        self.assertEqual(response.status, "completed")

    def test_a_stream_and_models_with_an_api_key(self):
        client = self.bedrock(api_key="meridian-demo-api-key")
        with client.chat.completions.stream(model=NOVA, messages=[{"role": "user", "content": "Stream"}]) as stream:
            self.assertTrue(stream.get_final_completion().choices[0].message.content)
        self.assertIn(NOVA, [m.id for m in client.models.list()])

    def test_a_wrong_secret_is_the_sdks_authentication_error(self):
        with self.assertRaises(openai.AuthenticationError):
            self.bedrock(aws_access_key_id="AKIAMERIDIANDEMO", aws_secret_access_key="wrong").chat.completions.create(
                model=NOVA, messages=[{"role": "user", "content": "Hello"}])


class Models(unittest.TestCase):
    def test_models_lists_what_the_key_can_invoke(self):
        ids = [m.id for m in client().models.list()]
        self.assertIn(NOVA, ids)
        self.assertNotIn("us.amazon.nova-2-lite-v1:0", ids)

    def test_retrieve_finds_a_profile_and_404s_one_the_key_cannot_invoke(self):
        self.assertEqual(client().models.retrieve(NOVA).id, NOVA)
        with self.assertRaises(openai.NotFoundError) as raised:
            client().models.retrieve("us.amazon.nova-2-lite-v1:0")
        self.assertEqual(raised.exception.code, "model_not_found")


if __name__ == "__main__":
    unittest.main()
