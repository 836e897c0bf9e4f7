"""Prints Python msgpack's encodings of the test messages, for Switchboard's wire-format tests (Debian's python3-msgpack).

Reads one tagged-JSON message per line on stdin (see channels_driver.py) and prints, per line, the hex of
msgpack.packb(message, use_bin_type=True), as channels_redis serializes it. With "decode", reads hex lines instead and
prints each as tagged JSON, unpacked the way channels_redis does (raw=False, strict_map_key=True).
"""
import json
import sys

import msgpack

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from tags import tag, untag  # noqa: E402

decode = len(sys.argv) > 1 and sys.argv[1] == "decode"
for line in sys.stdin:
    line = line.strip()
    if not line:
        continue
    if decode:
        try:
            value = msgpack.unpackb(bytes.fromhex(line), raw=False, strict_map_key=True)
            print(json.dumps(tag(value), sort_keys=True))
        except Exception as error:  # the C# side checks which inputs Python refuses
            print(json.dumps({"$error": type(error).__name__}))
    else:
        print(msgpack.packb(untag(json.loads(line)), use_bin_type=True).hex())
    sys.stdout.flush()
