"""Drives Django Channels' real RedisChannelLayer (channels_redis 4) for Switchboard's interop tests.

Run with Debian's /usr/bin/python3. Every message is printed as one line of tagged JSON (bytes as {"$bytes": hex},
floats as {"$float": hex of the IEEE-754 bits}) so that the C# side compares kinds exactly.

  channels_driver.py HOST PREFIX [--keys K1,K2] listen-group GROUP COUNT   # new_channel + group_add, print name, then COUNT messages
  channels_driver.py HOST PREFIX [--keys ...] listen COUNT                # new_channel, print name, then COUNT messages
  channels_driver.py HOST PREFIX [--keys ...] receive CHANNEL COUNT       # COUNT messages from a named channel
  channels_driver.py HOST PREFIX [--keys ...] send CHANNEL TAGGED_JSON
  channels_driver.py HOST PREFIX [--keys ...] group-send GROUP TAGGED_JSON
"""
import asyncio
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from channels_redis.core import RedisChannelLayer  # noqa: E402
from tags import tag, untag  # noqa: E402

TIMEOUT = 20


def emit(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


async def receive_many(layer, channel, count):
    for _ in range(count):
        message = await asyncio.wait_for(layer.receive(channel), TIMEOUT)
        emit(json.dumps(tag(message), sort_keys=True))


async def main(argv):
    host, prefix, rest = argv[0], argv[1], argv[2:]
    keys = None
    if rest[0] == "--keys":
        keys = rest[1].split(",")
        rest = rest[2:]
    hosts = host.split(",")
    layer = RedisChannelLayer(hosts=hosts, prefix=prefix, symmetric_encryption_keys=keys)
    command = rest[0]
    if command == "listen-group":
        channel = await layer.new_channel()
        await layer.group_add(rest[1], channel)
        emit(channel)
        await receive_many(layer, channel, int(rest[2]))
    elif command == "listen":
        channel = await layer.new_channel()
        emit(channel)
        await receive_many(layer, channel, int(rest[1]))
    elif command == "receive":
        emit("ready")
        await receive_many(layer, rest[1], int(rest[2]))
    elif command == "send":
        await layer.send(rest[1], untag(json.loads(rest[2])))
        emit("sent")
    elif command == "group-send":
        await layer.group_send(rest[1], untag(json.loads(rest[2])))
        emit("sent")
    else:
        raise SystemExit("unknown command " + command)
    await layer.close_pools()


asyncio.run(main(sys.argv[1:]))
