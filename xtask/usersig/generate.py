#!/usr/bin/env python3
"""UserSig and PrivateMapKey vectors for trtc-usersig, minted by the official packages with a fixed clock.

Run by `cargo xtask usersig-vectors`, which installs the official Python package `tls-sig-api-v2` into a venv
and the official Node package `tls-sig-api-v2` under target/, mints trtc-usersig's own string for every case
(`ours`) and passes the cases here in a JSON file.

For every case this writes one file with:
- `official`: the string minted by the Python package (`TLSSigAPIv2.gen_sig`, or `gen_sig_with_userbuf` with the
  Node package's userbuf for a PrivateMapKey, as the Python package has no userbuf builder) and by the Node
  package (`genUserSig`, `genPrivateMapKey`, `genPrivateMapKeyWithStringRoomID`), with `time.time` and
  `Date.now` fixed; and the document they decode to;
- `userbuf_hex`: the Node package's own `_genUserbuf` bytes for a PrivateMapKey;
- `ours`: trtc-usersig's string, with the checks it passed here. Neither official package has a verifier, so
  ours is decoded with the Python package's own `base64_decode_url`, `zlib.decompress` and `json.loads` (what
  its documents are made of) and must give the very document the official packages minted for the same
  inputs, with `TLS.sig` equal to the Python package's own HMAC (`__hmacsha256`) and the userbuf equal to the
  Node package's bytes.
"""

import argparse
import base64
import json
import os
import subprocess
import sys
import time
import zlib

import TLSSigAPIv2
from importlib.metadata import version

PY_PACKAGE = "tls-sig-api-v2 %s (PyPI)" % version("tls-sig-api-v2")


def node_package_version(path):
    with open(os.path.join(path, "package.json")) as f:
        return "tls-sig-api-v2 %s (npm)" % json.load(f)["version"]


def decode(sig):
    """The document inside a string, read the way the official Python package writes it."""
    return json.loads(zlib.decompress(TLSSigAPIv2.base64_decode_url(sig.encode())).decode("utf-8"))


def python_mint(case, userbuf):
    real_time = time.time
    time.time = lambda: float(case["time"])
    try:
        api = TLSSigAPIv2.TLSSigAPIv2(case["sdk_app_id"], case["key"])
        if userbuf is None:
            return api.gen_sig(case["user_id"], case["expire"])
        return api.gen_sig_with_userbuf(case["user_id"], case["expire"], userbuf)
    finally:
        time.time = real_time


def python_hmac(case, document):
    api = TLSSigAPIv2.TLSSigAPIv2(case["sdk_app_id"], case["key"])
    mac = api._TLSSigAPIv2__hmacsha256(
        document["TLS.identifier"], document["TLS.time"], document["TLS.expire"], document.get("TLS.userbuf")
    )
    return mac.decode()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", required=True)
    parser.add_argument("--node-package", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    with open(args.cases) as f:
        cases = json.load(f)
    node_source = node_package_version(args.node_package)
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "official.js")
    node = subprocess.run(
        ["node", script, os.path.abspath(args.node_package)],
        input=json.dumps(cases).encode(),
        capture_output=True,
        check=True,
    )
    node_out = {n["name"]: n for n in json.loads(node.stdout)}

    for old in os.listdir(args.out):
        if old.endswith(".json"):
            os.remove(os.path.join(args.out, old))
    for case in cases:
        name = case["name"]
        from_node = node_out[name]
        userbuf = bytes.fromhex(from_node["userbuf_hex"]) if from_node["userbuf_hex"] else None
        from_python = python_mint(case, userbuf)
        document = decode(from_python)
        if decode(from_node["sig"]) != document:
            sys.exit("%s: the Python and Node packages minted different documents" % name)
        if document["TLS.sig"] != python_hmac(case, document):
            sys.exit("%s: the official document's TLS.sig is not the official HMAC" % name)

        ours = case["ours"]
        ours_document = decode(ours)
        if ours_document != document:
            sys.exit("%s: ours decodes to %r, the official packages minted %r" % (name, ours_document, document))
        checks = [
            "decoded by the official Python package's base64_decode_url, then zlib.decompress and json.loads",
            "the same document as the official packages minted for the same inputs",
            "TLS.sig equal to the official Python package's HMAC of the document's fields",
        ]
        if userbuf is not None:
            if base64.b64decode(ours_document["TLS.userbuf"]) != userbuf:
                sys.exit("%s: our userbuf differs from the official Node package's" % name)
            checks.append("TLS.userbuf equal to the official Node package's _genUserbuf bytes")

        vector = {
            "name": name,
            "source": "official packages with the clock fixed at TLS.time: %s and %s" % (PY_PACKAGE, node_source),
            "kind": "private_map_key" if userbuf is not None else "user_sig",
            "sdk_app_id": case["sdk_app_id"],
            "key": case["key"],
            "user_id": case["user_id"],
            "time": case["time"],
            "expire": case["expire"],
            "room_id": case.get("room_id"),
            "str_room_id": case.get("str_room_id"),
            "privilege_map": case.get("privilege_map"),
            "official": [
                {"source": PY_PACKAGE + (" gen_sig_with_userbuf" if userbuf else " gen_sig"), "sig": from_python},
                {"source": node_source + (" genPrivateMapKey*" if userbuf else " genUserSig"), "sig": from_node["sig"]},
            ],
            "document": document,
            "userbuf_hex": from_node["userbuf_hex"],
            "ours": ours,
            "ours_checked": checks,
        }
        with open(os.path.join(args.out, name + ".json"), "w") as f:
            json.dump(vector, f, indent=2, ensure_ascii=False)
            f.write("\n")
    print("wrote %d vectors to %s" % (len(cases), args.out))


if __name__ == "__main__":
    main()
