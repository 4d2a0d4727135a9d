"""Meridian driven by the real AWS SDK for Python (boto3/botocore).

MERIDIAN_ENDPOINT names a running gateway with the demo credentials; PythonSdkIT starts one and runs this file
with `python -m unittest`. botocore signs differently from the Java and JavaScript SDKs (it escapes the model id's
colon and an ARN's slash in the path, and signs the path escaped twice), parses event streams and errors itself,
and retries by its own rules, so it is a client of its own, not a repeat of the others.
"""

import json
import os
import time
import unittest

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

ENDPOINT = os.environ["MERIDIAN_ENDPOINT"]
DEMO = {"aws_access_key_id": "AKIAMERIDIANDEMO", "aws_secret_access_key": "meridian-demo-secret"}
EU = {"eu-central-1", "eu-west-1", "eu-west-3", "eu-north-1", "eu-south-1", "eu-south-2"}
NOVA = "eu.amazon.nova-2-lite-v1:0"
ACCOUNT = "111122223333"
QUESTION = [{"role": "user", "content": [{"text": "Where is my data processed?"}]}]
NO_RETRIES = Config(retries={"max_attempts": 1, "mode": "standard"})


def client(service, region, **credentials):
    return boto3.client(
        service, endpoint_url=ENDPOINT, region_name=region, config=NO_RETRIES, **(credentials or DEMO))


def error_code(raised):
    return raised.exception.response["Error"]["Code"]


class Runtime(unittest.TestCase):
    def test_converse_from_milan_is_processed_in_an_eu_member_state(self):
        out = client("bedrock-runtime", "eu-south-1").converse(modelId=NOVA, messages=QUESTION)
        self.assertTrue(out["output"]["message"]["content"][0]["text"])
        self.assertEqual(out["stopReason"], "end_turn")
        usage = out["usage"]
        self.assertEqual(usage["totalTokens"], usage["inputTokens"] + usage["outputTokens"])
        region = out["ResponseMetadata"]["HTTPHeaders"]["x-meridian-inference-region"]
        self.assertIn(region, EU)

    def test_converse_from_london_stays_in_the_eu_or_london(self):
        out = client("bedrock-runtime", "eu-west-2").converse(modelId=NOVA, messages=QUESTION)
        region = out["ResponseMetadata"]["HTTPHeaders"]["x-meridian-inference-region"]
        self.assertIn(region, EU | {"eu-west-2"})

    def test_converse_through_a_profile_arn(self):
        arn = f"arn:aws:bedrock:eu-west-1:{ACCOUNT}:inference-profile/{NOVA}"
        out = client("bedrock-runtime", "eu-west-1").converse(
            modelId=arn, messages=QUESTION, inferenceConfig={"maxTokens": 20})
        self.assertLessEqual(out["usage"]["outputTokens"], 20)

    def test_converse_stream_relays_events_in_order(self):
        out = client("bedrock-runtime", "eu-west-1").converse_stream(modelId=NOVA, messages=QUESTION)
        kinds, text = [], ""
        for event in out["stream"]:
            kind = next(iter(event))
            kinds.append(kind)
            if kind == "contentBlockDelta":
                text += event[kind]["delta"]["text"]
        self.assertEqual(kinds[0], "messageStart")
        self.assertEqual(kinds[-2:], ["messageStop", "metadata"])
        self.assertTrue(text)

    def test_converse_stream_names_the_stop_sequence_that_ended_it(self):
        runtime = client("bedrock-runtime", "eu-west-1")
        full = runtime.converse(modelId=NOVA, messages=QUESTION)["output"]["message"]["content"][0]["text"]
        stops = ["<1>", "<2>", "<3>", "<4>", "<5>", full[8:12]]  # more than OpenAI's four
        out = runtime.converse_stream(
            modelId=NOVA, messages=QUESTION, inferenceConfig={"stopSequences": stops},
            additionalModelResponseFieldPaths=["/stop_sequence"])
        stop = next(event["messageStop"] for event in out["stream"] if "messageStop" in event)
        self.assertEqual(stop["stopReason"], "stop_sequence")
        self.assertEqual(stop["additionalModelResponseFields"], {"stop_sequence": full[8:12]})

    def test_converse_with_reasoning_answers_its_signed_thinking_first_and_takes_it_back(self):
        runtime = client("bedrock-runtime", "eu-west-1")
        thinking = {"reasoningConfig": {"type": "enabled", "maxReasoningEffort": "low"}}
        out = runtime.converse(modelId=NOVA, messages=QUESTION, additionalModelRequestFields=thinking)
        content = out["output"]["message"]["content"]
        self.assertTrue(content[0]["reasoningContent"]["reasoningText"]["text"])
        self.assertTrue(content[0]["reasoningContent"]["reasoningText"]["signature"])
        self.assertTrue(content[1]["text"])
        streamed, signature = "", None
        for event in runtime.converse_stream(
                modelId=NOVA, messages=QUESTION, additionalModelRequestFields=thinking)["stream"]:
            delta = event.get("contentBlockDelta", {}).get("delta", {}).get("reasoningContent", {})
            streamed += delta.get("text", "")
            signature = delta.get("signature", signature)
        self.assertEqual(streamed, content[0]["reasoningContent"]["reasoningText"]["text"])
        self.assertEqual(signature, content[0]["reasoningContent"]["reasoningText"]["signature"])
        history = QUESTION + [out["output"]["message"], {"role": "user", "content": [{"text": "And the audit?"}]}]
        again = runtime.converse(modelId=NOVA, messages=history, additionalModelRequestFields=thinking)
        self.assertTrue(again["output"]["message"]["content"][1]["text"])

    def test_count_tokens_is_what_converse_charges_counted_in_an_eu_member_state(self):
        runtime = client("bedrock-runtime", "eu-south-1")
        out = runtime.count_tokens(modelId=NOVA, input={"converse": {"messages": QUESTION}})
        charged = runtime.converse(modelId=NOVA, messages=QUESTION)["usage"]["inputTokens"]
        self.assertEqual(out["inputTokens"], charged)
        self.assertIn(out["ResponseMetadata"]["HTTPHeaders"]["x-meridian-inference-region"], EU)

    def test_count_tokens_of_an_invoke_model_body(self):
        body = json.dumps({"anthropic_version": "bedrock-2023-05-31", "max_tokens": 100,
                           "messages": [{"role": "user", "content": "Hello"}]})
        out = client("bedrock-runtime", "eu-west-3").count_tokens(
            modelId="eu.anthropic.claude-sonnet-4-5-20250929-v1:0", input={"invokeModel": {"body": body}})
        self.assertGreater(out["inputTokens"], 0)

    def test_count_tokens_without_messages_is_a_validation_exception(self):
        with self.assertRaises(ClientError) as raised:
            client("bedrock-runtime", "eu-west-1").count_tokens(modelId=NOVA, input={"converse": {"messages": []}})
        self.assertEqual(error_code(raised), "ValidationException")

    def test_invoke_model_with_an_anthropic_messages_body(self):
        body = {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 100,
                "messages": [{"role": "user", "content": "Hello"}]}
        out = client("bedrock-runtime", "eu-west-3").invoke_model(
            modelId="eu.anthropic.claude-sonnet-4-5-20250929-v1:0", contentType="application/json",
            body=json.dumps(body))
        parsed = json.loads(out["body"].read())
        self.assertEqual(parsed["type"], "message")
        self.assertTrue(parsed["content"][0]["text"])

    def test_invoke_model_with_response_stream_ends_with_invocation_metrics(self):
        body = {"messages": [{"role": "user", "content": [{"text": "Hi"}]}], "inferenceConfig": {"max_new_tokens": 50}}
        out = client("bedrock-runtime", "eu-west-3").invoke_model_with_response_stream(
            modelId=NOVA, contentType="application/json", body=json.dumps(body))
        chunks = [json.loads(e["chunk"]["bytes"]) for e in out["body"] if "chunk" in e]
        self.assertIn("messageStart", chunks[0])
        self.assertGreater(chunks[-1]["amazon-bedrock-invocationMetrics"]["outputTokenCount"], 0)

    def test_converse_structured_output_follows_the_schema(self):
        schema = {"type": "object", "additionalProperties": False, "required": ["city", "days"],
                  "properties": {"city": {"type": "string"}, "days": {"type": "integer", "minimum": 1, "maximum": 7}}}
        out = client("bedrock-runtime", "eu-west-1").converse(
            modelId=NOVA, messages=QUESTION,
            outputConfig={"textFormat": {"type": "json_schema",
                                         "structure": {"jsonSchema": {"name": "weather", "schema": json.dumps(schema)}}}})
        answer = json.loads(out["output"]["message"]["content"][0]["text"])
        self.assertEqual(set(answer), {"city", "days"})
        self.assertTrue(1 <= answer["days"] <= 7)

    def test_converse_with_documents_counts_them_as_input(self):
        runtime = client("bedrock-runtime", "eu-west-1")
        policy = {"document": {"format": "txt", "name": "Data policy", "source": {"bytes": b"EU data stays in the EU. " * 40}}}
        contract = {"document": {"format": "pdf", "name": "Contract (signed)", "source": {"bytes": b"%PDF" * 1000}}}
        out = runtime.converse(modelId=NOVA, messages=[{"role": "user", "content": [{"text": "Compare"}, policy, contract]}])
        self.assertGreater(out["usage"]["inputTokens"], 1000)
        with self.assertRaises(ClientError) as raised:
            bad = {"document": {"format": "pdf", "name": "contract.pdf", "source": {"bytes": b"%PDF"}}}
            runtime.converse(modelId=NOVA, messages=[{"role": "user", "content": [{"text": "Read"}, bad]}])
        self.assertEqual(error_code(raised), "ValidationException")
        self.assertIn("document name", str(raised.exception))

    def test_a_guardrail_is_refused_not_skipped(self):
        with self.assertRaises(ClientError) as raised:
            client("bedrock-runtime", "eu-west-1").invoke_model(
                modelId=NOVA, contentType="application/json", guardrailIdentifier="pii", guardrailVersion="1",
                body=json.dumps({"messages": QUESTION}))
        self.assertEqual(error_code(raised), "ValidationException")

    def test_bad_input_is_a_validation_exception(self):
        with self.assertRaises(ClientError) as raised:
            client("bedrock-runtime", "eu-west-1").converse(
                modelId=NOVA, messages=QUESTION, inferenceConfig={"maxTokens": 100_000_000})
        self.assertEqual(error_code(raised), "ValidationException")
        self.assertIn("65536", str(raised.exception))

    def test_a_prompt_longer_than_the_models_context_window_is_a_validation_exception(self):
        too_long = [{"role": "user", "content": [{"text": "word " * 200_000}]}]
        with self.assertRaises(ClientError) as raised:
            client("bedrock-runtime", "eu-west-1").converse(
                modelId="eu.anthropic.claude-haiku-4-5-20251001-v1:0", messages=too_long)
        self.assertEqual(error_code(raised), "ValidationException")
        self.assertEqual(raised.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)
        self.assertIn("the prompt is 200000 tokens, the model's context window 200000", str(raised.exception))

    def test_a_profile_not_offered_in_the_source_region_names_the_alternatives(self):
        with self.assertRaises(ClientError) as raised:
            client("bedrock-runtime", "eu-west-1").converse(modelId="us.amazon.nova-2-lite-v1:0", messages=QUESTION)
        self.assertEqual(error_code(raised), "ValidationException")
        self.assertIn(NOVA, str(raised.exception))


class Authentication(unittest.TestCase):
    def test_wrong_secret_is_invalid_signature(self):
        bad = client("bedrock-runtime", "eu-west-1",
                     aws_access_key_id=DEMO["aws_access_key_id"], aws_secret_access_key="wrong")
        with self.assertRaises(ClientError) as raised:
            bad.converse(modelId=NOVA, messages=QUESTION)
        self.assertEqual(error_code(raised), "InvalidSignatureException")
        self.assertEqual(raised.exception.response["ResponseMetadata"]["HTTPStatusCode"], 403)

    def test_unknown_access_key_is_unrecognized_client(self):
        bad = client("bedrock-runtime", "eu-west-1", aws_access_key_id="AKIANOBODY", aws_secret_access_key="x")
        with self.assertRaises(ClientError) as raised:
            bad.converse(modelId=NOVA, messages=QUESTION)
        self.assertEqual(error_code(raised), "UnrecognizedClientException")

    def test_temporary_credentials_are_refused_not_ignored(self):
        session = client("bedrock-runtime", "eu-west-1", aws_session_token="token-from-sts", **DEMO)
        with self.assertRaises(ClientError) as raised:
            session.converse(modelId=NOVA, messages=QUESTION)
        self.assertEqual(error_code(raised), "UnrecognizedClientException")


class ControlPlane(unittest.TestCase):
    def test_list_inference_profiles_shows_only_what_the_source_region_can_invoke(self):
        out = client("bedrock", "eu-central-1").list_inference_profiles(typeEquals="SYSTEM_DEFINED")
        ids = [p["inferenceProfileId"] for p in out["inferenceProfileSummaries"]]
        self.assertIn(NOVA, ids)
        self.assertFalse([i for i in ids if i.startswith("us.")])

    def test_paginator_walks_every_page(self):
        pages = client("bedrock", "eu-central-1").get_paginator("list_inference_profiles").paginate(
            typeEquals="SYSTEM_DEFINED", PaginationConfig={"PageSize": 1})
        ids = [p["inferenceProfileId"] for page in pages for p in page["inferenceProfileSummaries"]]
        self.assertIn(NOVA, ids)
        self.assertEqual(len(ids), len(set(ids)))
        self.assertGreater(len(ids), 1)

    def test_create_an_application_profile_then_invoke_it_by_arn(self):
        control = client("bedrock", "eu-central-1")
        created = control.create_inference_profile(
            inferenceProfileName=f"py-team-{time.time_ns()}",
            modelSource={"copyFrom": f"arn:aws:bedrock:eu-central-1:{ACCOUNT}:inference-profile/{NOVA}"},
            tags=[{"key": "team", "value": "python"}])
        arn = created["inferenceProfileArn"]
        self.assertRegex(arn, r"application-inference-profile/[a-z0-9]{12}$")
        got = control.get_inference_profile(inferenceProfileIdentifier=arn)
        self.assertEqual(got["type"], "APPLICATION")
        tags = control.list_tags_for_resource(resourceARN=arn)["tags"]
        self.assertEqual(tags, [{"key": "team", "value": "python"}])
        out = client("bedrock-runtime", "eu-central-1").converse(modelId=arn, messages=QUESTION)
        self.assertIn(out["ResponseMetadata"]["HTTPHeaders"]["x-meridian-inference-region"], EU)

    def test_get_foundation_model_unknown_is_resource_not_found(self):
        with self.assertRaises(ClientError) as raised:
            client("bedrock", "eu-central-1").get_foundation_model(modelIdentifier="amazon.none-v1:0")
        self.assertEqual(error_code(raised), "ResourceNotFoundException")


class Governance(unittest.TestCase):
    def test_lookup_events_finds_the_converse_call_with_its_processing_region(self):
        runtime = client("bedrock-runtime", "eu-north-1")
        out = runtime.converse(modelId=NOVA, messages=QUESTION)
        request_id = out["ResponseMetadata"]["RequestId"]
        processed_in = out["ResponseMetadata"]["HTTPHeaders"]["x-meridian-inference-region"]
        events = client("cloudtrail", "eu-north-1").lookup_events(
            LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "Converse"}], MaxResults=50)["Events"]
        records = [json.loads(e["CloudTrailEvent"]) for e in events]
        mine = [r for r in records if r.get("requestID") == request_id]
        self.assertEqual(len(mine), 1, f"one event for request {request_id}")
        self.assertEqual(mine[0]["awsRegion"], "eu-north-1")
        self.assertIn(processed_in, json.dumps(mine[0]["additionalEventData"]))

    def test_invocation_logging_configuration_round_trips(self):
        control = client("bedrock", "eu-west-3")
        config = {"s3Config": {"bucketName": "meridian-py-logs", "keyPrefix": "py/"},
                  "textDataDeliveryEnabled": True, "imageDataDeliveryEnabled": False}
        control.put_model_invocation_logging_configuration(loggingConfig=config)
        got = control.get_model_invocation_logging_configuration()["loggingConfig"]
        self.assertEqual(got["s3Config"], config["s3Config"])
        self.assertFalse(got["imageDataDeliveryEnabled"])
        control.delete_model_invocation_logging_configuration()
        self.assertNotIn("loggingConfig", control.get_model_invocation_logging_configuration())


if __name__ == "__main__":
    unittest.main()
