"""The official Python SDK measured the same way as trtc-rs, for `cargo xtask bench`.

  python_sdk.py sign [--batches N --per-batch N]
      median ns to build and sign one DismissRoom request (model -> params -> signed request)
  python_sdk.py usersig [--batches N --per-batch N]
      median ns to mint one UserSig with the official TLSSigAPIv2 package (the inputs of trtc-bench usersig)
  python_sdk.py e2e --endpoint 127.0.0.1:PORT --secret-id ID --secret-key KEY --first-room R --calls N
      sequential DismissRoom calls against an emulator; calls per second

Prints one JSON object.
"""
import argparse
import json
import statistics
import sys
import time

from tencentcloud.common import credential
from tencentcloud.common.http.request import RequestInternal
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.trtc.v20190722 import models, trtc_client


def make_client(endpoint, secret_id, secret_key):
    http_profile = HttpProfile(endpoint=endpoint, protocol="http")
    profile = ClientProfile(httpProfile=http_profile)
    # The region breaker would probe other endpoints; a fair comparison calls one endpoint.
    profile.disable_region_breaker = True
    return trtc_client.TrtcClient(credential.Credential(secret_id, secret_key), "ap-guangzhou", profile)


def sign(args):
    client = make_client("trtc.tencentcloudapi.com", "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
                         "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE")

    def build_and_sign():
        request = models.DismissRoomRequest()
        request.SdkAppId = 1400000001
        request.RoomId = 1234
        params = request._serialize()
        req = RequestInternal(client._get_endpoint(), "POST", "/")
        client._build_req_inter("DismissRoom", params, req)
        return req

    for _ in range(args.per_batch):
        build_and_sign()
    samples = []
    for _ in range(args.batches):
        start = time.perf_counter_ns()
        for _ in range(args.per_batch):
            build_and_sign()
        samples.append((time.perf_counter_ns() - start) / args.per_batch)
    print(json.dumps({"python_sdk_sign_ns": round(statistics.median(samples))}))


def usersig(args):
    import TLSSigAPIv2

    # The inputs of `trtc-bench usersig`, the clock fixed at the same time for both.
    api = TLSSigAPIv2.TLSSigAPIv2(1400000000, "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e")
    time.time = lambda: 1700000000.0

    for _ in range(args.per_batch):
        api.gen_sig("xiaojun", 180 * 86400)
    samples = []
    for _ in range(args.batches):
        start = time.perf_counter_ns()
        for _ in range(args.per_batch):
            api.gen_sig("xiaojun", 180 * 86400)
        samples.append((time.perf_counter_ns() - start) / args.per_batch)
    print(json.dumps({"python_usersig_ns": round(statistics.median(samples))}))


def e2e(args):
    client = make_client(args.endpoint, args.secret_id, args.secret_key)
    errors = 0
    first_error = None
    start = time.perf_counter()
    for i in range(args.calls):
        request = models.DismissRoomRequest()
        request.SdkAppId = args.sdk_app_id
        request.RoomId = args.first_room + i
        try:
            client.DismissRoom(request)
        except Exception as e:  # every failure counts, whatever its type
            errors += 1
            first_error = first_error or repr(e)
    elapsed = time.perf_counter() - start
    print(json.dumps({"python_sdk_sequential_calls_per_s": round(args.calls / elapsed),
                      "errors": errors, "first_error": first_error}))


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="mode", required=True)
    s = sub.add_parser("sign")
    s.add_argument("--batches", type=int, default=50)
    s.add_argument("--per-batch", type=int, default=200)
    u = sub.add_parser("usersig")
    u.add_argument("--batches", type=int, default=50)
    u.add_argument("--per-batch", type=int, default=2000)
    e = sub.add_parser("e2e")
    e.add_argument("--endpoint", required=True)
    e.add_argument("--secret-id", required=True)
    e.add_argument("--secret-key", required=True)
    e.add_argument("--sdk-app-id", type=int, default=1400000001)
    e.add_argument("--first-room", type=int, required=True)
    e.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args()
    {"sign": sign, "usersig": usersig, "e2e": e2e}[args.mode](args)


if __name__ == "__main__":
    sys.exit(main())
