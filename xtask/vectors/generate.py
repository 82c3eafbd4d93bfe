#!/usr/bin/env python3
"""Signing vectors for trtc-sign, computed by the official Tencent Cloud Python SDK.

Run by `cargo xtask vectors`, which installs `tencentcloud-sdk-python-common` into a venv under target/.
Every TC3 vector with `content-type;host` and every v1 vector is the output of the SDK's own request
builder (`AbstractClient._build_req_inter`), with only its sources of variation fixed: the clock
(`time.time`), the v1 nonce (`random.randint`) and the multipart boundary (`uuid.uuid4`). The canonical
request and string to sign are recorded on their way into the SDK's `hashlib.sha256` and `Sign.sign_tc3`;
nothing here computes them.

The SDK never signs `x-tc-action`. For `content-type;host;x-tc-action`, the vector takes the request the
SDK built (method, query, body, Content-Type, Host, X-TC-Action, X-TC-Timestamp) and signs it the way the
official API documentation's Python demo does: canonical headers
`content-type:{ct}\\nhost:{host}\\nx-tc-action:{action.lower()}\\n`, with the HMAC chain of the SDK's
`Sign.sign_tc3`. Each vector's "source" says which of the two it is.

Large bodies are stored as a recipe (`body_parts`) that the Rust test expands; the generator checks that
the recipe expands to exactly the bytes the SDK signed.
"""

import argparse
import calendar
import glob
import hashlib
import json
import os
import sys
import types
from datetime import datetime
from urllib.parse import parse_qsl

import tencentcloud
from tencentcloud.common import abstract_client as ac
from tencentcloud.common.common_client import CommonClient
from tencentcloud.common.credential import Credential
from tencentcloud.common.http.request import RequestInternal
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.common.sign import Sign

SDK = "tencentcloud-sdk-python-common %s" % tencentcloud.__version__
SOURCE_SDK = (
    "official Python SDK (%s): AbstractClient._build_req_inter with time.time fixed; canonical request "
    "and string to sign recorded from the SDK's own hashlib.sha256 and Sign.sign_tc3 calls" % SDK
)
SOURCE_DEMO = (
    "request built by the official Python SDK (%s) with time.time fixed, signed with "
    "content-type;host;x-tc-action as the official API documentation's Python demo does (canonical "
    "headers 'content-type:%%s\\nhost:%%s\\nx-tc-action:%%s\\n' with action.lower()), HMAC chain by the "
    "SDK's Sign.sign_tc3" % SDK
)
SOURCE_V1 = (
    "official Python SDK (%s): AbstractClient._build_req_with_old_signature with time.time and "
    "random.randint fixed; sign string recorded from the SDK's own Sign.sign call" % SDK
)

ALGORITHM = "TC3-HMAC-SHA256"
SKIPPED_HEADERS = {"X-TC-RequestClient", "X-TC-TraceId"}  # added by clients, not by a signer

# Credentials: the documentation's example keys, a second pair, and temporary credentials with a token.
DOC_KEYS = ("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", None)
OTHER_KEYS = ("AKIDtrtcrs0000000000000000000000EXAMPLE", "trtcRsSecretKey0000000000000EXAMPLE", None)
TOKEN_KEYS = (
    "AKIDtmpSTS1111111111111111111111EXAMPLE",
    "tmpSecretKey2222222222222222EXAMPLE",
    "sts-token_" + "".join("%02x" % ((i * 37 + 11) & 0xFF) for i in range(96)) + "-EXAMPLE",
)
CREDENTIALS = [DOC_KEYS, OTHER_KEYS, TOKEN_KEYS]
LANGUAGES = [None, "zh-CN", "en-US"]


def utc(y, mo, d, h=0, mi=0, s=0):
    return calendar.timegm((y, mo, d, h, mi, s))


# Instants where a signer that gets the date wrong shows it: UTC day, month and year boundaries,
# Beijing midnight to 08:00 (still the previous UTC day), leap days of 2000, 2024 and 2100 (not a leap
# year), the 32-bit rollover, the epoch, and the last second this crate signs.
TIMESTAMPS = [
    1551113065,  # the documentation's example
    utc(2024, 3, 10, 23, 59, 59),
    utc(2024, 3, 11, 0, 0, 0),
    utc(2024, 3, 10, 16, 0, 0),  # 00:00 Beijing, 16:00 UTC the day before
    utc(2024, 3, 10, 23, 59, 58),  # 07:59:58 Beijing
    utc(2024, 3, 11, 0, 0, 1),  # 08:00:01 Beijing
    utc(2023, 12, 31, 23, 59, 59),
    utc(2024, 1, 1, 0, 0, 0),
    utc(2024, 2, 28, 23, 59, 59),
    utc(2024, 2, 29, 0, 0, 0),
    utc(2024, 2, 29, 23, 59, 59),
    utc(2024, 3, 1, 0, 0, 0),
    utc(2023, 2, 28, 23, 59, 59),
    utc(2023, 3, 1, 0, 0, 0),
    utc(2000, 2, 28, 23, 59, 59),
    utc(2000, 2, 29, 12, 0, 0),
    utc(2000, 3, 1, 0, 0, 0),
    utc(1999, 12, 31, 23, 59, 59),
    utc(2100, 2, 28, 23, 59, 59),
    utc(2100, 3, 1, 0, 0, 0),
    utc(2024, 12, 31, 23, 59, 59),
    utc(2025, 1, 1, 0, 0, 0),
    utc(2024, 6, 30, 23, 59, 59),
    utc(2024, 7, 1, 0, 0, 0),
    2147483647,
    2147483648,
    0,
    86399,
    86400,
    1700000000,
    utc(9999, 12, 31, 23, 59, 59),
]

# (service, host, action, version, region, JSON params): several products, global and regional hosts, a
# region-less call, and the loopback hosts of a local emulator (with the scheme, the SDK signs it literally).
CALLS = [
    ("trtc", "trtc.tencentcloudapi.com", "DismissRoom", "2019-07-22", "ap-guangzhou",
     {"SdkAppId": 1400000001, "RoomId": 1234}),
    ("trtc", "trtc.ap-beijing.tencentcloudapi.com", "DismissRoomByStrRoomId", "2019-07-22", "ap-beijing",
     {"SdkAppId": 1400000001, "RoomId": "room-\u623f\u95f4-42"}),
    ("trtc", "trtc.ap-singapore.tencentcloudapi.com", "RemoveUser", "2019-07-22", "ap-singapore",
     {"SdkAppId": 1400000001, "RoomId": 7, "UserIds": ["alice", "bob", "\u5f20\u4e09"]}),
    ("trtc", "trtc.tencentcloudapi.com", "DescribeTRTCRealTimeQualityData", "2019-07-22", "ap-guangzhou",
     {"SdkAppId": "1400000001", "StartTime": 1700000000, "EndTime": 1700003600, "DataType": ["appCpu"]}),
    ("cvm", "cvm.tencentcloudapi.com", "DescribeInstances", "2017-03-12", "ap-guangzhou",
     {"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}),
    ("cvm", "cvm.ap-shanghai.tencentcloudapi.com", "DescribeZones", "2017-03-12", "ap-shanghai", {}),
    ("sts", "sts.tencentcloudapi.com", "GetFederationToken", "2018-08-13", "ap-guangzhou",
     {"Name": "trtc-rs", "Policy": "{\"version\":\"2.0\",\"statement\":[{\"effect\":\"allow\",\"action\":[\"trtc:DismissRoom\"],\"resource\":\"*\"}]}",
      "DurationSeconds": 1800}),
    ("sts", "sts.ap-guangzhou.tencentcloudapi.com", "AssumeRole", "2018-08-13", "ap-guangzhou",
     {"RoleArn": "qcs::cam::uin/100000000001:roleName/ci", "RoleSessionName": "ci run #1"}),
    ("sms", "sms.tencentcloudapi.com", "SendSms", "2021-01-11", "ap-guangzhou",
     {"PhoneNumberSet": ["+8613800000000"], "SmsSdkAppId": "1400006666", "SignName": "\u817e\u8baf\u4e91",
      "TemplateId": "449739", "TemplateParamSet": ["1234", "5 min"]}),
    ("cam", "cam.tencentcloudapi.com", "GetUserAppId", "2019-01-16", "", {}),
    ("trtc", "127.0.0.1:8080", "DismissRoom", "2019-07-22", "ap-guangzhou", {"SdkAppId": 1400000001, "RoomId": 1}),
    ("trtc", "http://127.0.0.1:9000", "DismissRoom", "2019-07-22", "ap-beijing", {"SdkAppId": 1, "RoomId": 2}),
]

# GET query params (urlencode of the SDK's flattened params): lists, nested objects, spaces, reserved and
# non-ASCII characters.
GET_PARAMS = [
    {"Limit": 10, "Offset": 0},
    {"Filters": [{"Name": "zone", "Values": ["ap-guangzhou-3", "ap-guangzhou-4"]}], "Limit": 100},
    {"Name": "a b&c=d/e?f#g", "Emoji": "\U0001f600", "Chinese": "\u817e\u8baf\u4e91", "Tilde": "~_.-"},
]


def pattern(length, seed):
    """The bytes of a `{"pattern": {"len", "seed"}}` body part; the Rust test computes the same."""
    return bytes((((i * 2654435761) + seed) >> 11) & 0xFF for i in range(length))


def expand(parts):
    out = b""
    for part in parts:
        if "text" in part:
            out += part["text"].encode("utf-8")
        elif "hex" in part:
            out += bytes.fromhex(part["hex"])
        elif "repeat" in part:
            out += part["repeat"]["text"].encode("utf-8") * part["repeat"]["times"]
        elif "pattern" in part:
            out += pattern(part["pattern"]["len"], part["pattern"]["seed"])
        else:
            raise ValueError(part)
    return out


def piece(data):
    """A body part for bytes without a recipe: text when it is UTF-8, hex otherwise."""
    try:
        return {"text": data.decode("utf-8")}
    except UnicodeDecodeError:
        return {"hex": data.hex()}


def describe_body(body, recipes=()):
    """The body as "body" (short UTF-8 text) or "body_parts", replacing each (bytes, part) recipe found in it."""
    if not recipes:
        try:
            text = body.decode("utf-8")
            if len(body) <= 4096:
                return {"body": text}
        except UnicodeDecodeError:
            pass
    parts = []
    rest = body
    for blob, part in recipes:
        at = rest.find(blob)
        if at < 0:
            raise AssertionError("recipe not found in the body the SDK built")
        if at:
            parts.append(piece(rest[:at]))
        parts.append(part)
        rest = rest[at + len(blob):]
    if rest:
        parts.append(piece(rest))
    if expand(parts) != body:
        raise AssertionError("body_parts do not expand to the body the SDK signed")
    return {"body_parts": parts}


class Fixed:
    """Fixes the SDK's clock, nonce and multipart boundary, and records what it hashes and signs."""

    def __init__(self, timestamp, nonce=11886, boundary="0123456789abcdef0123456789abcdef", ascii_json=True):
        self.timestamp = timestamp
        self.nonce = nonce
        self.boundary = boundary
        self.ascii_json = ascii_json
        self.sha256_inputs = []
        self.tc3_calls = []
        self.v1_calls = []

    def __enter__(self):
        rec = self
        self.saved = {name: getattr(ac, name) for name in ("time", "random", "uuid", "hashlib", "Sign", "json")}
        ac.time = types.SimpleNamespace(time=lambda: float(rec.timestamp))
        ac.random = types.SimpleNamespace(randint=lambda a, b: rec.nonce)
        ac.uuid = types.SimpleNamespace(uuid4=lambda: types.SimpleNamespace(hex=rec.boundary))

        def sha256(data=b""):
            rec.sha256_inputs.append(bytes(data))
            return hashlib.sha256(data)

        ac.hashlib = types.SimpleNamespace(sha256=sha256)

        class RecordingSign(Sign):
            @staticmethod
            def sign(secret_key, sign_str, sign_method):
                out = Sign.sign(secret_key, sign_str, sign_method)
                rec.v1_calls.append((sign_str, sign_method, out))
                return out

            @staticmethod
            def sign_tc3(secret_key, date, service, str2sign):
                out = Sign.sign_tc3(secret_key, date, service, str2sign)
                rec.tc3_calls.append((date, service, str2sign, out))
                return out

        ac.Sign = RecordingSign
        real_json = self.saved["json"]
        if not self.ascii_json:
            ac.json = types.SimpleNamespace(
                dumps=lambda obj: real_json.dumps(obj, ensure_ascii=False), loads=real_json.loads)
        return self

    def __exit__(self, *exc):
        for name, value in self.saved.items():
            setattr(ac, name, value)
        return False


def client(creds, call, method, language, unsigned=False, sign_method=None):
    service, host, _action, version, region, _params = call
    profile = ClientProfile(signMethod=sign_method, httpProfile=HttpProfile(endpoint=host, reqMethod=method))
    # The SDK sends X-TC-Language zh-CN unless told otherwise; None leaves the header out.
    profile.language = language
    profile.unsignedPayload = unsigned
    return CommonClient(service, version, Credential(*creds), region, profile)


def build(creds, call, method, timestamp, language, *, unsigned=False, params=None, options=None,
          body=None, ascii_json=True, sign_method=None, boundary=None):
    c = client(creds, call, method, language, unsigned, sign_method)
    req = RequestInternal(c._get_endpoint(), method, "/", header={})
    if body is not None:
        req.data = body
    fixed_args = {"ascii_json": ascii_json}
    if boundary:
        fixed_args["boundary"] = boundary
    with Fixed(timestamp, **fixed_args) as rec:
        c._build_req_inter(call[2], params, req, options or {})
    return req, rec


def tc3_vector(name, creds, call, method, timestamp, language, req, rec, unsigned, signed_headers, recipes=()):
    service, host, action, version, region, _ = call
    data = req.data if isinstance(req.data, bytes) else req.data.encode("utf-8")
    query = data.decode("ascii") if method == "GET" else ""
    body = b"" if method == "GET" else data
    headers = {k: v for k, v in req.header.items() if k not in SKIPPED_HEADERS}

    if signed_headers == "content-type;host":
        source = SOURCE_SDK
        (date, svc, string_to_sign, signature) = rec.tc3_calls[-1]
        canonical_request = rec.sha256_inputs[-1].decode("utf-8")
        assert svc == service
        authorization = req.header["Authorization"]
    else:
        source = SOURCE_DEMO
        content_type = headers["Content-Type"]
        payload = "UNSIGNED-PAYLOAD".encode() if unsigned else body
        canonical_headers = "content-type:%s\nhost:%s\nx-tc-action:%s\n" % (
            content_type, headers["Host"], headers["X-TC-Action"].lower())
        canonical_request = "\n".join([method, "/", query, canonical_headers, signed_headers,
                                       hashlib.sha256(payload).hexdigest()])
        ts = int(headers["X-TC-Timestamp"])
        date = datetime.utcfromtimestamp(ts).strftime("%Y-%m-%d")
        scope = date + "/" + service + "/tc3_request"
        string_to_sign = "\n".join([ALGORITHM, str(ts), scope,
                                    hashlib.sha256(canonical_request.encode("utf-8")).hexdigest()])
        signature = Sign.sign_tc3(creds[1], date, service, string_to_sign)
        authorization = "%s Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (
            ALGORITHM, creds[0], scope, signed_headers, signature)
        headers["Authorization"] = authorization

    request = {
        "method": method,
        "query": query,
        "content_type": headers["Content-Type"],
        "unsigned_payload": unsigned,
    }
    request.update(describe_body(body, recipes) if body else {"body": ""})
    return {
        "name": name,
        "source": source,
        "algorithm": ALGORITHM,
        "credentials": {"secret_id": creds[0], "secret_key": creds[1], "token": creds[2]},
        "params": {
            "service": service,
            "host": headers["Host"],
            "action": action,
            "version": version,
            "region": region or None,
            "language": language,
            "timestamp": timestamp,
            "signed_headers": signed_headers,
        },
        "request": request,
        "expected": {
            "canonical_request": canonical_request,
            "string_to_sign": string_to_sign,
            "signature": signature,
            "authorization": authorization,
            "headers": headers,
        },
    }


class Out:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0
        self.names = set()

    def write(self, vector):
        self.count += 1
        name = "py-%03d-%s" % (self.count, vector["name"])
        assert name not in self.names
        self.names.add(name)
        vector["name"] = name
        with open(os.path.join(self.directory, name + ".json"), "w", encoding="utf-8") as f:
            json.dump(vector, f, indent=2, ensure_ascii=False)
            f.write("\n")


def slug(call):
    return "%s-%s" % (call[0], call[2].lower())


def tc3(out, label, creds, call, method, timestamp, language, signed_headers="content-type;host", *,
        unsigned=False, params=None, options=None, body=None, ascii_json=True, recipes=(), boundary=None):
    req, rec = build(creds, call, method, timestamp, language, unsigned=unsigned, params=params,
                     options=options, body=body, ascii_json=ascii_json, boundary=boundary)
    suffix = "-x-tc-action" if signed_headers != "content-type;host" else ""
    out.write(tc3_vector("tc3-%s-%s%s" % (label, slug(call), suffix), creds, call, method, timestamp,
                         language, req, rec, unsigned, signed_headers, recipes))


def generate(out):
    both = ["content-type;host", "content-type;host;x-tc-action"]

    # POST JSON: every call, several instants, every credential kind and language, both header sets.
    for i, call in enumerate(CALLS):
        for j in range(6):
            ts = TIMESTAMPS[(i * 5 + j * 7) % len(TIMESTAMPS)]
            tc3(out, "post-json", CREDENTIALS[(i + j) % 3], call, "POST", ts, LANGUAGES[(i + j) % 3],
                both[j % 2], params=call[5])

    # The clock sweep: every instant, both header sets.
    for k, ts in enumerate(TIMESTAMPS):
        tc3(out, "post-time-%d" % ts, CREDENTIALS[k % 3], CALLS[0], "POST", ts, "en-US", both[k % 2],
            params=CALLS[0][5])

    # GET: the exact query the SDK sends, every call.
    for i, call in enumerate(CALLS):
        for j, params in enumerate(GET_PARAMS):
            ts = TIMESTAMPS[(i * 3 + j * 11) % len(TIMESTAMPS)]
            tc3(out, "get", CREDENTIALS[(i + j) % 3], call, "GET", ts, LANGUAGES[(i + 2 * j) % 3],
                both[(i + j) % 2], params=params)

    # Raw UTF-8 JSON bodies (the SDK's json.dumps with ensure_ascii=False).
    for i, call in enumerate([CALLS[1], CALLS[2], CALLS[4], CALLS[8]]):
        for sh in both:
            tc3(out, "post-json-utf8", CREDENTIALS[i % 3], call, "POST", TIMESTAMPS[i + 3], "zh-CN", sh,
                params=call[5], ascii_json=False)

    # Unsigned payload: POST JSON, GET and octet-stream.
    for i, call in enumerate(CALLS[:6]):
        for sh in both:
            tc3(out, "post-unsigned", CREDENTIALS[i % 3], call, "POST", TIMESTAMPS[i], None, sh,
                unsigned=True, params=call[5])
    for i, call in enumerate(CALLS[4:7]):
        tc3(out, "get-unsigned", CREDENTIALS[i % 3], call, "GET", TIMESTAMPS[-i - 1], "en-US",
            both[i % 2], unsigned=True, params=GET_PARAMS[i])

    octet_call = ("trtc", "trtc.tencentcloudapi.com", "UploadBlob", "2019-07-22", "ap-guangzhou", None)
    ocr_call = ("ocr", "ocr.tencentcloudapi.com", "GeneralBasicOCR", "2018-11-19", "ap-guangzhou", None)

    # application/octet-stream: empty, text, binary, 64 KiB and 1 MiB bodies.
    mib = 1 << 20
    octet_bodies = [
        ("empty", b"", ()),
        ("text", "plain text \u2603 with UTF-8".encode("utf-8"), ()),
        ("binary", bytes(range(256)), ()),
        ("64k", pattern(65536, 7), ((pattern(65536, 7), {"pattern": {"len": 65536, "seed": 7}}),)),
        ("1mib", pattern(mib, 1), ((pattern(mib, 1), {"pattern": {"len": mib, "seed": 1}}),)),
    ]
    for i, (label, body, recipes) in enumerate(octet_bodies):
        for j, sh in enumerate(both):
            call = octet_call if j == 0 else ocr_call
            tc3(out, "octet-" + label, CREDENTIALS[(i + j) % 3], call, "POST", TIMESTAMPS[i * 2 + j],
                LANGUAGES[i % 3], sh, body=body, options={"IsOctetStream": True}, recipes=recipes)
    tc3(out, "octet-1mib-unsigned", TOKEN_KEYS, octet_call, "POST", TIMESTAMPS[3], "zh-CN",
        body=pattern(mib, 3), options={"IsOctetStream": True}, unsigned=True,
        recipes=((pattern(mib, 3), {"pattern": {"len": mib, "seed": 3}}),))

    # JSON of 1 MiB.
    big = "A" * mib
    for j, sh in enumerate(both):
        tc3(out, "post-json-1mib", CREDENTIALS[j], CALLS[0], "POST", TIMESTAMPS[j + 1], "en-US", sh,
            params={"SdkAppId": 1400000001, "Data": big},
            recipes=((big.encode(), {"repeat": {"text": "A", "times": mib}}),))

    # multipart/form-data, as the SDK writes it: empty, text, UTF-8, JSON fields, binary files, 1 MiB file.
    multipart = [
        ("empty", {}, []),
        ("text", {"ImageUrl": "https://example.com/a.png", "LanguageType": "zh"}, []),
        ("utf8", {"Text": "\u817e\u8baf\u4e91 \u2014 TRTC", "Name": "caf\u00e9"}, []),
        ("json-fields", {"Tags": [{"Key": "k", "Value": "v"}], "Config": {"Mode": 1}}, []),
        ("file", {"Name": "logo", "File": bytes(range(256)) * 4}, ["File"]),
        ("file-1mib", {"Name": "big", "File": pattern(mib, 5)}, ["File"]),
    ]
    for i, (label, params, binary) in enumerate(multipart):
        recipes = ()
        if label == "file-1mib":
            recipes = ((params["File"], {"pattern": {"len": mib, "seed": 5}}),)
        for j, sh in enumerate(both):
            tc3(out, "multipart-" + label, CREDENTIALS[(i + j) % 3], ocr_call, "POST", TIMESTAMPS[5 + i + j],
                LANGUAGES[(i + j) % 3], sh, params=params,
                options={"IsMultipart": True, "BinaryParams": binary}, recipes=recipes,
                boundary="%032x" % (0x5EED0000 + i * 2 + j))

    # Legacy v1, HmacSHA1 and HmacSHA256, GET and POST.
    v1_params = [
        {},
        {"Limit": 20, "Offset": 0, "InstanceIds": ["ins-09dx96dg"]},
        {"Name": "a b&c=d", "Chinese": "\u817e\u8baf\u4e91", "Emoji": "\U0001f600"},
        {"Filters": [{"Name": "zone", "Values": ["ap-guangzhou-3"]}], "Instance_Type": "S5.SMALL2"},
        {"SdkAppId": 1400000001, "RoomId": 1234},
        {"Flag": True, "Ratio": 0.5, "Empty": ""},
        {"UserIds": ["alice", "bob"], "Policy": "{\"version\":\"2.0\"}"},
    ]
    n = 0
    for sign_method in ["HmacSHA1", "HmacSHA256"]:
        for method in ["GET", "POST"]:
            for i, params in enumerate(v1_params):
                call = CALLS[(n * 5) % len(CALLS)]
                creds = CREDENTIALS[n % 3]
                language = LANGUAGES[n % 3]
                ts = TIMESTAMPS[(n * 3) % len(TIMESTAMPS)]
                n += 1
                out.write(v1_vector("v1-%s-%s-%s" % (sign_method.lower(), method.lower(), slug(call)),
                                    creds, call, method, ts, language, sign_method, params, nonce=1000 + n * 7919))


def v1_vector(name, creds, call, method, timestamp, language, sign_method, params, nonce):
    c = client(creds, call, method, language, sign_method=sign_method)
    req = RequestInternal(c._get_endpoint(), method, "/", header={})
    with Fixed(timestamp, nonce=nonce) as rec:
        c._build_req_inter(call[2], params, req, {})
    (sign_string, used_method, signature) = rec.v1_calls[-1]
    assert used_method == sign_method
    sent = parse_qsl(req.data, keep_blank_values=True)
    assert sent[-1] == ("Signature", signature)
    return {
        "name": name,
        "source": SOURCE_V1,
        "algorithm": sign_method,
        "credentials": {"secret_id": creds[0], "secret_key": creds[1], "token": creds[2]},
        "request": {"method": method, "host": c._get_endpoint(), "params": [list(p) for p in sent[:-1]]},
        "expected": {"sign_string": sign_string, "signature": signature, "encoded": req.data},
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="the tests/vectors directory of trtc-sign")
    args = parser.parse_args()
    for old in glob.glob(os.path.join(args.out, "py-*.json")):
        os.remove(old)
    out = Out(args.out)
    generate(out)
    print("wrote %d vectors from %s into %s" % (out.count, SDK, args.out))


if __name__ == "__main__":
    sys.exit(main())
