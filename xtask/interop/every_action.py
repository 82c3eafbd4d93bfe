"""Every action of both editions, called once with the official Python SDK and its documented example request.

The examples are those of crates/trtc-model/tests/vectors/examples.json, which `cargo xtask codegen` writes from
the spec's example files (the query-string examples already turned into the JSON their members' types call for).
Each request is adjusted to the emulator before it is sent, and only so: its SdkAppId becomes the emulator's
application, its room ids a room created first through the admin API, its TaskId (VocabId, PictureId,
VoicePrintId) one answered by first calling the action that makes it; the few documented requests that are
themselves wrong are fixed where they are sent, with the reason.

A call passes when it succeeds or answers a business error the SDK lists for TRTC (FailedOperation.*,
ResourceNotFound.*, ...): a parameter, action or signature error for a valid request fails it. On success the
SDK must carry the whole request (its request model drops no member of the example) and keep the whole answer
(the emulator answers no member the SDK's response model lacks). Each action is its own check, named after it.
Run by interop.py.
"""

import base64
import copy
import io
import json
import math
import os
import struct
import time
import warnings
import wave

from tencentcloud.common.common_client import CommonClient
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.trtc.v20190722 import errorcodes, models, trtc_client

EXAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                        "crates", "trtc-model", "tests", "vectors", "examples.json")

# The classes of the codes that say what a valid request asks cannot be done (a task that ended, a room that is
# not there, a quota); the others (InvalidParameter, MissingParameter, UnknownParameter, InvalidAction,
# AuthFailure, InternalError, ...) say the request or the service is wrong.
BUSINESS = ("FailedOperation", "LimitExceeded", "OperationDenied", "ResourceInsufficient", "ResourceNotFound",
            "ResourceUnavailable", "ResourcesSoldOut", "UnsupportedOperation")
SDK_CODES = {value for name, value in vars(errorcodes).items() if name.isupper() and isinstance(value, str)}

# The international edition's own actions: tencentcloud-sdk-python-trtc (3.1.177, the newest on PyPI) is the
# mainland edition's SDK and has no models for them, so they go through the SDK's CommonClient, which signs and
# sends them the same way with the request as JSON.
COMMON_CLIENT_ACTIONS = ("QueryAIMessageList", "SetUserBlocked", "SetUserBlockedByStrRoomId")

# The example used where an action has several: TextToSpeechSSE's third is the stream that succeeds (its first
# documents a failure midway, its second one before synthesis, both the service's doing with the same request).
EXAMPLE_INDEX = {"TextToSpeechSSE": 2}

# QueryAIMessageList's only examples (international edition) are not JSON: they lack the comma between their
# two members (crates/trtc-model/codegen/known_bad_examples.json). This is their request with it.
QUERY_AI_MESSAGE_LIST = {"SdkAppId": 1500000000, "TaskId": "v2_20260818_xxxxxxxxx"}


def _examples():
    """The example request of every action: the mainland edition's where it has one, else the international's."""
    with open(EXAMPLES, encoding="utf-8") as f:
        vectors = json.load(f)["examples"]
    chosen = {}
    for edition in ("intl", "cn"):
        for vector in vectors:
            if vector["edition"] == edition and vector["index"] == EXAMPLE_INDEX.get(vector["action"], 0):
                chosen[vector["action"]] = vector["request"]
    chosen["QueryAIMessageList"] = QUERY_AI_MESSAGE_LIST
    return chosen


def _wav_base64(seconds):
    """A WAV file as RegisterVoicePrint documents its Audio: 16 kHz, 16-bit, mono; a 440 Hz tone, base64."""
    rate = 16000
    samples = b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / rate)))
                       for i in range(rate * seconds))
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples)
    return base64.b64encode(out.getvalue()).decode()


def _with_room(body, room):
    """`body` with every RoomId and StrRoomId, nested ones included, naming `room` (as a number where the
    member is one, else as text)."""
    if isinstance(body, dict):
        return {key: (room if isinstance(value, int) else str(room)) if key in ("RoomId", "StrRoomId")
                else _with_room(value, room) for key, value in body.items()}
    if isinstance(body, list):
        return [_with_room(item, room) for item in body]
    return body


def _dropped(raw, kept, path=""):
    """The members of the answer `raw` that the SDK's model `kept` does not have (null members aside)."""
    out = []
    for key, value in raw.items():
        where = path + key
        if value is None:
            continue
        if key not in kept:
            out.append(where)
        elif isinstance(value, dict) and isinstance(kept[key], dict):
            out += _dropped(value, kept[key], where + ".")
        elif isinstance(value, list) and isinstance(kept[key], list):
            for i, (item, model) in enumerate(zip(value, kept[key])):
                if isinstance(item, dict) and isinstance(model, dict):
                    out += _dropped(item, model, "%s[%d]." % (where, i))
    return out


def _differences(sent, wanted, path=""):
    """Where the request the SDK serialises differs from the example it was read from."""
    if isinstance(sent, dict) and isinstance(wanted, dict):
        out = []
        for key in sorted(set(sent) | set(wanted)):
            if key not in sent:
                out.append("%s%s dropped" % (path, key))
            elif key not in wanted:
                out.append("%s%s added" % (path, key))
            else:
                out += _differences(sent[key], wanted[key], path + key + ".")
        return out
    if isinstance(sent, list) and isinstance(wanted, list) and len(sent) == len(wanted):
        return [d for i, (s, w) in enumerate(zip(sent, wanted)) for d in _differences(s, w, "%s[%d]." % (path, i))]
    return [] if sent == wanted else ["%s changed" % path.rstrip(".")]


class _Client(trtc_client.TrtcClient):
    """The SDK's client, keeping the body of the last answer so that it can be held against the model."""

    last_body = None

    def call(self, action, params, options=None, headers=None):
        self.last_body = super().call(action, params, options, headers)
        return self.last_body


# The actions whose API pages list regions without the client's (ap-guangzhou): called in one they list, as the
# emulator answers UnsupportedRegion elsewhere (crates/trtc-model/codegen/regions.json).
ACTION_REGIONS = {
    "CreateLiveStreamModeration": "ap-shanghai",
    "DescribeLiveStreamModeration": "ap-shanghai",
    "DeleteLiveStreamModeration": "ap-shanghai",
}


class _Caller:
    def __init__(self, client):
        self.client = client
        self.typed = _Client(client.credential, client.region, client.profile)
        self.common = CommonClient("trtc", "2019-07-22", client.credential, client.region, client.profile)

    def call(self, action, body):
        """The answer (the members of Response) to `action` with `body`, or for TextToSpeechSSE its events."""
        region = ACTION_REGIONS.get(action, self.client.region)
        self.typed = _Client(self.client.credential, region, self.client.profile)
        if action in COMMON_CLIENT_ACTIONS:
            return self.common.call_json(action, body)["Response"]
        request = getattr(models, action + "Request")()
        with warnings.catch_warnings():
            # The SDK warns of members its model lacks, and drops them: the comparison below names them.
            warnings.simplefilter("ignore")
            request.from_json_string(json.dumps(body))
        lost = _differences(request._serialize(), body)
        if lost:
            raise AssertionError("the SDK's %sRequest does not carry the example: %s" % (action, ", ".join(lost)))
        if action == "TextToSpeechSSE":
            return self._events(request)
        response = getattr(self.typed, action)(request)
        raw = json.loads(self.typed.last_body)["Response"]
        unknown = _dropped(raw, response._serialize())
        if unknown:
            raise AssertionError("the answer has members the SDK's %sResponse lacks: %s (answer %s)"
                                 % (action, ", ".join(unknown), json.dumps(raw, ensure_ascii=False)[:400]))
        return raw

    def _events(self, request):
        """The events of a TextToSpeechSSE stream, read as the SDK reads them (`data:` lines, JSON each)."""
        stream = self.typed.TextToSpeechSSE(request)
        if isinstance(stream, models.TextToSpeechSSEResponse):
            raise AssertionError("the answer is JSON (%s), not an event stream" % stream.to_json_string())
        return [json.loads(event["data"]) for event in stream if "data" in event]


def _outcome(code, message, body, note):
    """The detail of a business error; raises for any other code (naming the request for a parameter error)."""
    kind = code.split(".")[0]
    if len(message) > 300:
        message = message[:300] + "..."
    if kind in BUSINESS and code in SDK_CODES:
        return "%s: %s%s" % (code, message, note)
    if kind in ("InvalidParameter", "InvalidParameterValue", "MissingParameter", "UnknownParameter"):
        message += " (request %s)" % json.dumps(body, ensure_ascii=False)[:400]
    raise AssertionError("%s: %s%s" % (code, message, note))


def run(checks, emulator, client, app):
    """Adds one check per action to `checks`: `client` is the SDK client signing with the emulator's key for
    `app`, which the emulator owns."""
    examples = _examples()
    caller = _Caller(client)
    made = {}  # the ids answered by the steps that make them, for those that use them
    covered = []

    numbers = iter(range(7001, 8000))
    names = iter("every_action_%d" % n for n in range(1, 1000))
    rooms = {}

    def number_room(key, *users):
        rooms[key] = (next(numbers), list(users))

    def string_room(key, *users):
        rooms[key] = (next(names), list(users))

    def step(action, room=None, ids=None, keep=None, fix=None):
        """The check of `action`: its example with the application, the room `room` names, the ids `ids` maps
        (member: key of `made`) and the fix `fix` does; `keep` (key of `made`: member) saves ids it answers."""
        covered.append(action)

        def check():
            body = copy.deepcopy(examples[action])
            for key in ("SdkAppId", "SdkAppid", "Sdkappid"):
                if key in body:
                    body[key] = str(app) if isinstance(body[key], str) else app
            if room is not None:
                body = _with_room(body, rooms[room][0])
            fallback = []
            for member, key in (ids or {}).items():
                if key in made:
                    body[member] = made[key]
                else:
                    fallback.append(member)
            if fix is not None:
                fix(body)
            # Without the id its maker should have answered (that maker's check fails), the example's own is
            # sent, so that the action is still called and its answer seen.
            note = " (the example's own %s: its maker answered none)" % ", ".join(fallback) if fallback else ""
            try:
                answer = caller.call(action, body)
            except TencentCloudSDKException as e:
                return _outcome(e.get_code(), e.get_message(), body, note)
            if action == "TextToSpeechSSE":
                return _stream(answer)
            request_id = answer.get("RequestId", "")
            if len(request_id) != 36:
                raise AssertionError("RequestId %r" % request_id)
            for key, member in (keep or {}).items():
                if answer.get(member) in (None, ""):
                    raise AssertionError("no %s in the answer %s" % (member, json.dumps(answer)[:400]))
                made[key] = answer[member]
            return "success" + note

        checks.run("every action: " + action, check)

    # --- the rooms the examples name, each its own, with the users the example names ----------------------
    # A number or a string as the example's RoomIdType says, read as its action documents that member: 1 is a
    # number for CreateCloudRecording, CreateCloudModeration, CreateCloudSliceTask and StartStreamIngest, a
    # string for StartAIConversation and StartAITranscription; 0 a number for StartPublishCdnStream and
    # CreateCloudTranscription. The others' room members have one type.
    number_room("dismiss")
    string_room("dismiss_str")
    number_room("remove", "user_1", "user_2", "user_3")
    string_room("remove_str", "test1", "test2", "test3")
    number_room("block", "29376")
    string_room("block_str", "29376")
    number_room("recording", "user1", "user2")
    number_room("mcu", "main_pc")
    string_room("mcu_str", "main_pc")
    number_room("relay", "Trtc_User_0", "Trtc_User_3")
    number_room("ingest")
    number_room("moderation", "user1")
    number_room("slice", "555")
    number_room("transcription", "user_1")
    string_room("conversation", "target_user_54321")
    string_room("ai_transcription", "test_user")
    number_room("unusual")
    number_room("user_event", "user_2045351")

    def create_rooms():
        for room, users in rooms.values():
            emulator.admin("POST", "rooms", {"sdk_app_id": app, "room": room, "users": users})
        return "%d rooms" % len(rooms)

    checks.run("every action: the rooms of the examples, created through the admin API", create_rooms)

    # --- room management ---------------------------------------------------------------------------------
    step("DismissRoom", room="dismiss")
    step("DismissRoomByStrRoomId", room="dismiss_str")
    step("RemoveUser", room="remove")
    step("RemoveUserByStrRoomId", room="remove_str")
    step("SetUserBlocked", room="block")
    step("SetUserBlockedByStrRoomId", room="block_str")

    # --- the task families: start, then describe, modify and stop the task it answered -------------------
    step("CreateCloudRecording", room="recording", keep={"recording": "TaskId"})
    step("DescribeCloudRecording", ids={"TaskId": "recording"})
    step("ModifyCloudRecording", ids={"TaskId": "recording"})
    step("DeleteCloudRecording", ids={"TaskId": "recording"})

    step("StartMCUMixTranscode", room="mcu")
    step("StopMCUMixTranscode", room="mcu")
    step("StartMCUMixTranscodeByStrRoomId", room="mcu_str")
    step("StopMCUMixTranscodeByStrRoomId", room="mcu_str")

    step("StartPublishCdnStream", room="relay", keep={"relay": "TaskId"})
    step("UpdatePublishCdnStream", room="relay", ids={"TaskId": "relay"})
    step("StopPublishCdnStream", ids={"TaskId": "relay"})

    step("StartStreamIngest", room="ingest", keep={"ingest": "TaskId"})
    step("DescribeStreamIngest", ids={"TaskId": "ingest"})
    step("UpdateStreamIngest", ids={"TaskId": "ingest"})
    step("StopStreamIngest", ids={"TaskId": "ingest"})

    step("StartWebRecord", keep={"web_record": "TaskId"})
    step("DescribeWebRecord", ids={"TaskId": "web_record"})
    step("StopWebRecord", ids={"TaskId": "web_record"})

    step("CreateCloudModeration", room="moderation", keep={"moderation": "TaskId"})
    step("DescribeCloudModeration", ids={"TaskId": "moderation"})
    step("ModifyCloudModeration", ids={"TaskId": "moderation"})
    step("DeleteCloudModeration", ids={"TaskId": "moderation"})

    step("CreateCloudSliceTask", room="slice", keep={"slice": "TaskId"})
    step("DescribeCloudSliceTask", ids={"TaskId": "slice"})
    step("ModifyCloudSliceTask", ids={"TaskId": "slice"})
    step("DeleteCloudSliceTask", ids={"TaskId": "slice"})

    step("CreateCloudTranscription", room="transcription", keep={"transcription": "TaskId"})
    step("DescribeCloudTranscription", ids={"TaskId": "transcription"})
    step("DeleteCloudTranscription", ids={"TaskId": "transcription"})

    def tts_config(body):
        # The example's TTSConfig is the placeholder "your-tts-config-json", where the member documents the
        # TTS configuration of StartAIConversation, a JSON object as text: that example's own is sent.
        body["TTSConfig"] = examples["StartAIConversation"]["TTSConfig"]

    step("StartAIConversation", room="conversation", keep={"conversation": "TaskId"})
    step("DescribeAIConversation", ids={"TaskId": "conversation"})
    step("UpdateAIConversation", ids={"TaskId": "conversation"}, fix=tts_config)
    step("ControlAIConversation", ids={"TaskId": "conversation"})
    step("QueryAIMessageList", ids={"TaskId": "conversation"})
    step("StopAIConversation", ids={"TaskId": "conversation"})

    step("StartAITranscription", room="ai_transcription", keep={"ai_transcription": "TaskId"})
    step("DescribeAITranscription", ids={"TaskId": "ai_transcription"})
    step("StopAITranscription", ids={"TaskId": "ai_transcription"})

    step("CreateLiveStreamModeration", keep={"live_moderation": "TaskId"})
    step("DescribeLiveStreamModeration", ids={"TaskId": "live_moderation"})
    step("DeleteLiveStreamModeration", ids={"TaskId": "live_moderation"})

    # --- speech: synthesis, cloning, voice prints, vocabularies ------------------------------------------
    step("TextToSpeech")
    step("TextToSpeechSSE")
    step("AsyncTextToSpeech", keep={"speech": "TaskId"})
    step("DescribeAsyncTextToSpeech", ids={"TaskId": "speech"})
    step("VoiceClone")

    def voice_print(body):
        # The example's Audio is a description ("The Base64 string of the entire WAV audio file, ..."), not
        # base64: a WAV as the member documents it is sent, 8 seconds of a tone; and ReqTimestamp, the
        # request's time in milliseconds, is now rather than the example's day in 2025.
        body["Audio"] = _wav_base64(8)
        body["ReqTimestamp"] = int(time.time() * 1000)

    step("RegisterVoicePrint", fix=voice_print, keep={"voice_print": "VoicePrintId"})
    step("DescribeVoicePrint")
    step("UpdateVoicePrint", ids={"VoicePrintId": "voice_print"}, fix=voice_print)
    step("DeleteVoicePrint", ids={"VoicePrintId": "voice_print"})

    step("CreateRecognizeVocabV3", keep={"vocab": "VocabId"})
    step("GetRecognizeVocabV3", ids={"VocabId": "vocab"})
    step("GetRecognizeVocabListV3")
    step("DownloadRecognizeVocabV3", ids={"VocabId": "vocab"})
    step("UpdateRecognizeVocabV3", ids={"VocabId": "vocab"})
    step("SetVocabStateV3", ids={"VocabId": "vocab"})
    step("DeleteRecognizeVocabV3", ids={"VocabId": "vocab"})

    # --- pictures (watermarks) and moderation of short audio ---------------------------------------------
    step("CreatePicture", keep={"picture": "PictureId"})
    step("DescribePicture", ids={"PictureId": "picture"})
    step("ModifyPicture", ids={"PictureId": "picture"})
    step("DeletePicture", ids={"PictureId": "picture"})
    step("CreateAudioModerationSync")

    # --- the room, user, quality and usage queries -------------------------------------------------------
    for action in ("DescribeCallDetailInfo", "DescribeRoomInfo", "DescribeScaleInfo", "DescribeUserInfo",
                   "DescribeMixTranscodingUsage", "DescribeRecordStatistic", "DescribeRecordingUsage",
                   "DescribeRelayUsage", "DescribeTrtcMcuTranscodeTime", "DescribeTrtcRoomUsage",
                   "DescribeTrtcUsage", "DescribeTRTCAIRecognitionUsage", "DescribeTRTCDedicatedCloudAccUsage",
                   "DescribeTRTCMarketQualityData", "DescribeTRTCMarketScaleData",
                   "DescribeTRTCMarketScaleMetricData", "DescribeTRTCRealTimeQualityData",
                   "DescribeTRTCRealTimeScaleData", "DescribeTRTCSegmentModerationUsage"):
        step(action)
    step("DescribeUnusualEvent", room="unusual")
    step("DescribeUserEvent", room="user_event")

    def all_covered():
        missing = sorted(set(examples) - set(covered))
        twice = sorted({a for a in covered if covered.count(a) > 1})
        unknown = sorted(set(covered) - set(examples))
        if missing or twice or unknown or len(examples) != 89:
            raise AssertionError("of the %d actions: not called %s, called twice %s, not an action %s"
                                 % (len(examples), missing, twice, unknown))
        return "%d actions, each called once" % len(covered)

    checks.run("every action: all the actions of both editions called", all_covered)


def _stream(events):
    """The detail of a TextToSpeechSSE stream: audio chunks as the examples show them, the last one IsEnd, and
    no error event."""
    errors = [e for e in events if e.get("Type") == "error"]
    if errors:
        raise AssertionError("an error event: %s" % json.dumps(errors[0], ensure_ascii=False))
    chunks = [e for e in events if e.get("Type") == "chunk"]
    if not chunks or chunks[-1].get("IsEnd") is not True or any(c.get("IsEnd") for c in chunks[:-1]):
        raise AssertionError("events %s" % json.dumps(events, ensure_ascii=False)[:400])
    return "%d events, %d audio chunks, the last IsEnd" % (len(events), len(chunks))
