"""The Redis layer benchmark, channels_redis 4 side (Debian's /usr/bin/python3): the same workloads as
benchmarks/Switchboard.Redis.Benchmarks, against the same redis-server. Prints one JSON line per workload.

Usage: channels_redis_bench.py REDIS_URL [--quick]
"""
import asyncio
import json
import math
import sys
import time
import uuid

from channels_redis.core import RedisChannelLayer

URL = sys.argv[1] if len(sys.argv) > 1 else "redis://127.0.0.1:6379"
SCALE = 0.2 if "--quick" in sys.argv else 1.0


def scaled(n):
    return max(5, int(n * SCALE))


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]


def report(workload, count, elapsed, latencies):
    print(json.dumps({
        "layer": "channels_redis",
        "workload": workload,
        "count": count,
        "ops_per_s": round(count / elapsed, 1),
        "p50_us": round(percentile(latencies, 50) * 1e6, 1),
        "p99_us": round(percentile(latencies, 99) * 1e6, 1),
    }), flush=True)


async def pairs(layer, warmup, count):
    channel = await layer.new_channel()
    latencies = []
    started = None
    for i in range(-warmup, count):
        if i == 0:
            started = time.perf_counter()
        start = time.perf_counter()
        await layer.send(channel, {"type": "bench.pair", "n": i, "text": "hello"})
        message = await layer.receive(channel)
        assert message["n"] == i, (message, i)
        if i >= 0:
            latencies.append(time.perf_counter() - start)
    report("send+receive pair", count, time.perf_counter() - started, latencies)


async def group_send(sender, first, second, members, warmup, count):
    group = f"bench.group{members}"
    channels = []
    for i in range(members):
        layer = first if i % 2 == 0 else second
        channel = await layer.new_channel()
        await layer.group_add(group, channel)
        channels.append((layer, channel))
    latencies = []
    started = None
    for i in range(-warmup, count):
        if i == 0:
            started = time.perf_counter()
        start = time.perf_counter()
        await sender.group_send(group, {"type": "chat.message", "message": "hello everyone", "n": i})
        for layer, channel in channels:
            message = await layer.receive(channel)
            assert message["n"] == i, (message, i)
        if i >= 0:
            latencies.append(time.perf_counter() - start)
    report(f"group send to {members}", count, time.perf_counter() - started, latencies)


async def main():
    prefix = "bench" + uuid.uuid4().hex[:8]
    sender, first, second = (RedisChannelLayer(hosts=[URL], prefix=prefix) for _ in range(3))
    started = time.perf_counter()
    await pairs(first, 200, scaled(5000))
    await group_send(sender, first, second, 1, 100, scaled(3000))
    await group_send(sender, first, second, 100, 20, scaled(500))
    await group_send(sender, first, second, 1000, 5, scaled(100))
    await sender.flush()
    print(f"channels_redis: done ({time.perf_counter() - started:.1f} s)", file=sys.stderr)


asyncio.run(main())
