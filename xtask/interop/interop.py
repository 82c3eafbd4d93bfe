"""Checks a running `trtc emulator` with the official Tencent Cloud clients: tccli and the Python SDK.

Run by `cargo xtask interop`, which builds the emulator, starts it and installs the clients in a venv;
by hand:

    python interop.py --endpoint http://127.0.0.1:PORT --secret-id ID --secret-key KEY \
        --sdk-app-id 1400000001 --room 1234 --tccli /path/to/venv/bin/tccli

The emulator must own --sdk-app-id with that key and have --room (numeric) at start, nothing else.
Every check prints one line; the run ends with "N passed, M failed" and exits non-zero on any failure.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.trtc.v20190722 import models, trtc_client

import every_action
import tasks

TEMP_ID = "AKIDinteropTemporaryKey000000000000"
TEMP_KEY = "interopTemporarySecretKey0000000"
TEMP_TOKEN = "interopSessionToken"


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def run(self, name, check):
        try:
            detail = check()
        except Exception as e:  # a check's failure, whatever raised it, is reported and counted
            self.failed += 1
            print("FAIL %s: %s: %s" % (name, type(e).__name__, e), flush=True)
            return
        self.passed += 1
        print("ok   %s%s" % (name, " (%s)" % detail if detail else ""), flush=True)


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


class Emulator:
    """The emulator under test: its endpoint for the clients, its admin API for set-up and the journal."""

    def __init__(self, endpoint):
        self.endpoint = endpoint
        self.host_port = endpoint[len("http://"):]

    def admin(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.endpoint + "/_emulator/" + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.loads(answer.read())


def sdk_client(emulator, secret_id, secret_key, token=None, method="POST", region="ap-guangzhou",
               unsigned_payload=False, sign_method=None):
    """The official SDK pointed at the emulator, as its docs say: endpoint without scheme, protocol http.

    `sign_method` "HmacSHA1" or "HmacSHA256" signs with v1 (parameters in the query or a form body);
    None keeps the SDK's default, TC3-HMAC-SHA256."""
    http_profile = HttpProfile(endpoint=emulator.host_port, protocol="http", reqMethod=method)
    profile = ClientProfile(signMethod=sign_method, httpProfile=http_profile)
    profile.unsignedPayload = unsigned_payload
    cred = credential.Credential(secret_id, secret_key, token)
    return trtc_client.TrtcClient(cred, region, profile)


def request(model, **fields):
    req = model()
    req.from_json_string(json.dumps(fields))
    return req


def sdk_error(call):
    """The code of the TencentCloudSDKException `call` raises; fails if it succeeds."""
    try:
        call()
    except TencentCloudSDKException as e:
        return e.get_code(), e.get_message(), e.get_request_id()
    raise AssertionError("expected an error, the call succeeded")


def tccli(args, binary, home, env=None, *tail):
    full_env = dict(os.environ, HOME=home)
    for name in ("TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "TENCENTCLOUD_TOKEN"):
        full_env.pop(name, None)
    full_env.update(env or {})
    command = [binary, "trtc", "DismissRoom", "--SdkAppId", str(args.sdk_app_id), "--RoomId", str(args.room),
               "--endpoint", args.endpoint, "--region", "ap-guangzhou"] + list(tail)
    return subprocess.run(command, capture_output=True, text=True, env=full_env, timeout=120)


def tccli_caller(args, home):
    """`call(action, fields)` through tccli, for tasks.py: `tccli trtc ACTION --Member value ...` at the
    emulator, with the credentials in the environment (objects and lists as JSON, as tccli takes them). Answers
    the members of the Response it prints, or raises tasks.ApiError with the code of the error it prints."""
    def call(action, fields):
        command = [args.tccli, "trtc", action, "--endpoint", args.endpoint, "--region", "ap-guangzhou"]
        for name, value in fields.items():
            command += ["--" + name, value if isinstance(value, str) else json.dumps(value)]
        env = dict(os.environ, HOME=home, TENCENTCLOUD_SECRET_ID=args.secret_id,
                   TENCENTCLOUD_SECRET_KEY=args.secret_key)
        env.pop("TENCENTCLOUD_TOKEN", None)
        out = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
        if out.returncode == 0:
            return json.loads(out.stdout)
        error = re.search(r"code:(\S+) message:(.*?) requestId:", out.stdout + out.stderr, re.S)
        if error is None:
            raise AssertionError("tccli trtc %s: exit %d, stdout %r, stderr %r"
                                 % (action, out.returncode, out.stdout, out.stderr))
        raise tasks.ApiError(error.group(1), error.group(2))
    return call


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--secret-id", required=True)
    parser.add_argument("--secret-key", required=True)
    parser.add_argument("--sdk-app-id", type=int, required=True)
    parser.add_argument("--room", type=int, required=True)
    parser.add_argument("--tccli", required=True)
    args = parser.parse_args()

    emulator = Emulator(args.endpoint)
    app = args.sdk_app_id
    checks = Checks()
    home = tempfile.mkdtemp(prefix="trtc-interop-tccli-")
    good = lambda **kw: sdk_client(emulator, args.secret_id, args.secret_key, **kw)

    # --- tccli -----------------------------------------------------------------------------------------
    def tccli_dismisses():
        out = tccli(args, args.tccli, home, None, "--secretId", args.secret_id, "--secretKey", args.secret_key)
        expect(out.returncode == 0, "exit %d, stderr %r" % (out.returncode, out.stderr))
        request_id = json.loads(out.stdout)["RequestId"]
        expect(len(request_id) == 36, "RequestId %r" % request_id)
        rooms = emulator.admin("GET", "rooms")["rooms"]
        expect(not any(r["room"] == args.room for r in rooms), "room %d still there: %r" % (args.room, rooms))
        return "RequestId " + request_id

    def tccli_second_dismissal_is_room_not_exist():
        env = {"TENCENTCLOUD_SECRET_ID": args.secret_id, "TENCENTCLOUD_SECRET_KEY": args.secret_key}
        out = tccli(args, args.tccli, home, env)
        expect(out.returncode != 0, "exit 0 for a second dismissal: %r" % out.stdout)
        expect("FailedOperation.RoomNotExist" in out.stdout + out.stderr, out.stdout + out.stderr)
        return "credentials from the environment"

    def tccli_wrong_key_is_signature_failure():
        emulator.admin("POST", "rooms", {"sdk_app_id": app, "room": args.room})
        out = tccli(args, args.tccli, home, None, "--secretId", args.secret_id, "--secretKey", "notTheKey")
        expect(out.returncode != 0, "exit 0 with a wrong key")
        expect("AuthFailure.SignatureFailure" in out.stdout + out.stderr, out.stdout + out.stderr)

    checks.run("tccli trtc DismissRoom --endpoint http://... succeeds", tccli_dismisses)
    checks.run("tccli: a second dismissal is FailedOperation.RoomNotExist", tccli_second_dismissal_is_room_not_exist)
    checks.run("tccli: a wrong key is AuthFailure.SignatureFailure", tccli_wrong_key_is_signature_failure)

    # --- the Python SDK ----------------------------------------------------------------------------------
    def sdk_dismisses_then_room_not_exist():
        out = good().DismissRoom(request(models.DismissRoomRequest, SdkAppId=app, RoomId=args.room))
        expect(len(out.RequestId) == 36, out.to_json_string())
        code, _, request_id = sdk_error(
            lambda: good().DismissRoom(request(models.DismissRoomRequest, SdkAppId=app, RoomId=args.room)))
        expect(code == "FailedOperation.RoomNotExist", code)
        expect(len(request_id) == 36, "RequestId %r" % request_id)
        return "then FailedOperation.RoomNotExist, RequestId " + request_id

    def sdk_wrong_key_is_signature_failure():
        emulator.admin("POST", "rooms", {"sdk_app_id": app, "room": 42})
        client = sdk_client(emulator, args.secret_id, "notTheKey")
        code, _, _ = sdk_error(lambda: client.DismissRoom(request(models.DismissRoomRequest, SdkAppId=app, RoomId=42)))
        expect(code == "AuthFailure.SignatureFailure", code)

    def sdk_unknown_key_is_secret_id_not_found():
        client = sdk_client(emulator, "AKIDnobodyHasThisKey", args.secret_key)
        code, _, _ = sdk_error(lambda: client.DismissRoom(request(models.DismissRoomRequest, SdkAppId=app, RoomId=42)))
        expect(code == "AuthFailure.SecretIdNotFound", code)

    def sdk_stale_timestamp_is_signature_expire():
        # The SDK stamps X-TC-Timestamp with time.time(); ten minutes in the past is beyond the 5 allowed.
        real_time = time.time
        time.time = lambda: real_time() - 600
        try:
            code, message, _ = sdk_error(
                lambda: good().DismissRoom(request(models.DismissRoomRequest, SdkAppId=app, RoomId=42)))
        finally:
            time.time = real_time
        expect(code == "AuthFailure.SignatureExpire", "%s: %s" % (code, message))

    def sdk_get_with_a_list():
        emulator.admin("POST", "rooms", {"sdk_app_id": app, "room": 77, "users": ["alice", "bob", "carol"]})
        good(method="GET").RemoveUser(request(models.RemoveUserRequest, SdkAppId=app, RoomId=77,
                                              UserIds=["alice", "carol"]))
        room = [r for r in emulator.admin("GET", "rooms")["rooms"] if r["room"] == 77][0]
        expect([u["user_id"] for u in room["users"]] == ["bob"], room)
        return "RemoveUser by GET, UserIds.0/UserIds.1"

    def sdk_string_rooms_and_blocking():
        emulator.admin("POST", "rooms", {"sdk_app_id": app, "room": "class-7", "users": ["alice", "bob"]})
        emulator.admin("POST", "rooms", {"sdk_app_id": app, "room": 78, "users": ["dave"]})
        # The SetUserBlocked actions are in the international edition only: the mainland SDK has no models
        # for them, so they go through its generic call_json, which signs and sends the same way.
        good().call_json("SetUserBlocked", {"SdkAppId": app, "RoomId": 78, "UserId": "dave", "IsMute": 1})
        good().call_json("SetUserBlockedByStrRoomId",
                         {"SdkAppId": app, "StrRoomId": "class-7", "UserId": "bob", "IsMute": 2})
        rooms = {str(r["room"]): r for r in emulator.admin("GET", "rooms")["rooms"]}
        expect(rooms["78"]["users"][0]["block"] == "audio_and_video", rooms["78"])
        expect(rooms["class-7"]["users"][1]["block"] == "audio", rooms["class-7"])
        code, _, _ = sdk_error(lambda: good().call_json(
            "SetUserBlocked", {"SdkAppId": app, "RoomId": 78, "UserId": "nobody", "IsMute": 1}))
        expect(code == "FailedOperation.UserNotExist", code)
        good().RemoveUserByStrRoomId(request(models.RemoveUserByStrRoomIdRequest, SdkAppId=app, RoomId="class-7",
                                             UserIds=["alice"]))
        good().DismissRoomByStrRoomId(request(models.DismissRoomByStrRoomIdRequest, SdkAppId=app, RoomId="class-7"))
        rooms = {str(r["room"]) for r in emulator.admin("GET", "rooms")["rooms"]}
        expect("class-7" not in rooms, rooms)
        return "SetUserBlocked, SetUserBlockedByStrRoomId, RemoveUserByStrRoomId, DismissRoomByStrRoomId"

    def sdk_unsigned_payload():
        emulator.admin("POST", "rooms", {"sdk_app_id": app, "room": 79})
        good(unsigned_payload=True).DismissRoom(request(models.DismissRoomRequest, SdkAppId=app, RoomId=79))

    def sdk_temporary_credentials():
        emulator.admin("POST", "credentials", {"secret_id": TEMP_ID, "secret_key": TEMP_KEY, "token": TEMP_TOKEN,
                                               "sdk_app_ids": [app]})
        emulator.admin("POST", "rooms", {"sdk_app_id": app, "room": 80})
        dismiss = request(models.DismissRoomRequest, SdkAppId=app, RoomId=80)
        code, _, _ = sdk_error(lambda: sdk_client(emulator, TEMP_ID, TEMP_KEY, token="stale").DismissRoom(dismiss))
        expect(code == "AuthFailure.TokenFailure", code)
        sdk_client(emulator, TEMP_ID, TEMP_KEY, token=TEMP_TOKEN).DismissRoom(dismiss)
        return "wrong token: AuthFailure.TokenFailure; right token: success"

    def sdk_v1_dismisses(sign_method, req_method, room):
        def check():
            emulator.admin("POST", "rooms", {"sdk_app_id": app, "room": room})
            client = good(method=req_method, sign_method=sign_method)
            out = client.DismissRoom(request(models.DismissRoomRequest, SdkAppId=app, RoomId=room))
            rooms = emulator.admin("GET", "rooms")["rooms"]
            expect(not any(r["room"] == room for r in rooms), "room %d still there: %r" % (room, rooms))
            last = emulator.admin("GET", "journal")["entries"][-1]
            expect(last["method"] == req_method and last["action"] == "DismissRoom" and last["outcome"] == "success"
                   and last["secret_id"] == args.secret_id and last["sdk_app_id"] == app and last["room"] == room,
                   last)
            return "RequestId " + out.RequestId
        return check

    def sdk_v1_wrong_key_and_token():
        emulator.admin("POST", "rooms", {"sdk_app_id": app, "room": 95})
        dismiss = request(models.DismissRoomRequest, SdkAppId=app, RoomId=95)
        for sign_method in ("HmacSHA1", "HmacSHA256"):
            client = sdk_client(emulator, args.secret_id, "notTheKey", method="GET", sign_method=sign_method)
            code, _, _ = sdk_error(lambda: client.DismissRoom(dismiss))
            expect(code == "AuthFailure.SignatureFailure", "%s: %s" % (sign_method, code))
        client = sdk_client(emulator, TEMP_ID, TEMP_KEY, token="stale", sign_method="HmacSHA256")
        code, _, _ = sdk_error(lambda: client.DismissRoom(dismiss))
        expect(code == "AuthFailure.TokenFailure", code)
        sdk_client(emulator, TEMP_ID, TEMP_KEY, token=TEMP_TOKEN, sign_method="HmacSHA256").DismissRoom(dismiss)
        return "wrong key: AuthFailure.SignatureFailure; Token parameter: wrong refused, right accepted"

    def sdk_unsupported_region():
        client = good(region="eu-frankfurt")
        code, _, _ = sdk_error(lambda: client.DismissRoom(request(models.DismissRoomRequest, SdkAppId=app, RoomId=42)))
        expect(code == "UnsupportedRegion", code)

    def sdk_unowned_app_is_unauthorized():
        code, _, _ = sdk_error(lambda: good().DismissRoom(
            request(models.DismissRoomRequest, SdkAppId=app + 1, RoomId=42)))
        expect(code == "UnauthorizedOperation.SdkAppId", code)

    def sdk_rate_limit():
        emulator.admin("PUT", "rate-limit", {"max_requests": 2, "window_ms": 60000})
        try:
            codes = []
            for _ in range(3):
                try:
                    good().DismissRoom(request(models.DismissRoomRequest, SdkAppId=app, RoomId=4242))
                    codes.append(None)
                except TencentCloudSDKException as e:
                    codes.append(e.get_code())
        finally:
            emulator.admin("PUT", "rate-limit", {"max_requests": 20, "window_ms": 1000})
        expect(codes == ["FailedOperation.RoomNotExist"] * 2 + ["RequestLimitExceeded"], codes)
        return "third of 3 with a limit of 2"

    def sdk_sees_injected_faults():
        emulator.admin("PUT", "faults", {"rules": [{"fault": "internal-error", "next": 1},
                                                   {"fault": "bad-gateway", "next": 1},
                                                   {"fault": "drop", "next": 1}]})
        dismiss = request(models.DismissRoomRequest, SdkAppId=app, RoomId=42)
        seen = [sdk_error(lambda: good().DismissRoom(dismiss))[0] for _ in range(3)]
        expect(seen == ["InternalError", "ServerNetworkError", "ClientNetworkError"], seen)
        good().DismissRoom(dismiss)
        return ", ".join(seen)

    def journal_records_every_request():
        entries = emulator.admin("GET", "journal")["entries"]
        outcomes = [e["outcome"] for e in entries]
        expect(outcomes.count("dropped") == 1 and outcomes.count("bad_gateway") == 1, outcomes)
        expect(all(e["action"] for e in entries), entries)
        codes = {e.get("code") for e in entries}
        for code in ("FailedOperation.RoomNotExist", "AuthFailure.SignatureFailure", "AuthFailure.SignatureExpire",
                     "AuthFailure.TokenFailure", "RequestLimitExceeded", "InternalError", "UnsupportedRegion"):
            expect(code in codes, "%s not in the journal's codes %s" % (code, sorted(c for c in codes if c)))
        expect(entries[0]["action"] == "DismissRoom" and entries[0]["outcome"] == "success"
               and entries[0]["room"] == args.room and entries[0]["sdk_app_id"] == app, entries[0])
        return "%d entries, the first one tccli's dismissal" % len(entries)

    checks.run("Python SDK DismissRoom succeeds, a second dismissal is FailedOperation.RoomNotExist",
               sdk_dismisses_then_room_not_exist)
    checks.run("Python SDK: a wrong key is AuthFailure.SignatureFailure", sdk_wrong_key_is_signature_failure)
    checks.run("Python SDK: an unknown SecretId is AuthFailure.SecretIdNotFound", sdk_unknown_key_is_secret_id_not_found)
    checks.run("Python SDK: a stale timestamp is AuthFailure.SignatureExpire", sdk_stale_timestamp_is_signature_expire)
    checks.run("Python SDK: GET requests with list parameters", sdk_get_with_a_list)
    checks.run("Python SDK: string rooms, blocking, removing", sdk_string_rooms_and_blocking)
    checks.run("Python SDK: unsigned payload", sdk_unsigned_payload)
    checks.run("Python SDK: temporary credentials and X-TC-Token", sdk_temporary_credentials)
    for room, (sign_method, req_method) in enumerate([("HmacSHA256", "POST"), ("HmacSHA256", "GET"),
                                                      ("HmacSHA1", "POST"), ("HmacSHA1", "GET")], start=91):
        checks.run("Python SDK: v1 signature %s by %s dismisses the room" % (sign_method, req_method),
                   sdk_v1_dismisses(sign_method, req_method, room))
    checks.run("Python SDK: v1 with a wrong key, a wrong and the right Token", sdk_v1_wrong_key_and_token)
    checks.run("Python SDK: a region the action is not offered in is UnsupportedRegion", sdk_unsupported_region)
    checks.run("Python SDK: an app the key does not own is UnauthorizedOperation.SdkAppId", sdk_unowned_app_is_unauthorized)
    checks.run("Python SDK: RequestLimitExceeded past the rate limit", sdk_rate_limit)
    checks.run("Python SDK: injected InternalError, HTTP 502 and dropped connection", sdk_sees_injected_faults)
    checks.run("journal: every request recorded with its outcome", journal_records_every_request)
    tasks.run(checks, emulator, good(), app)
    tasks.run_tccli(checks, emulator, tccli_caller(args, home), app)
    every_action.run(checks, emulator, good(), app)

    shutil.rmtree(home, ignore_errors=True)
    print("interop: %d passed, %d failed" % (checks.passed, checks.failed), flush=True)
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
