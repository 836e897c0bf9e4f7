"""Tagged JSON for Switchboard's interop tests: bytes as {"$bytes": hex}, floats as {"$float": hex of the IEEE-754 bits},
so that both sides compare values and their kinds exactly."""
import struct


def tag(value):
    if isinstance(value, dict):
        return {key: tag(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [tag(item) for item in value]
    if isinstance(value, bytes):
        return {"$bytes": value.hex()}
    if isinstance(value, float):
        return {"$float": struct.pack(">d", value).hex()}
    return value


def untag(value):
    if isinstance(value, dict):
        if set(value) == {"$bytes"}:
            return bytes.fromhex(value["$bytes"])
        if set(value) == {"$float"}:
            return struct.unpack(">d", bytes.fromhex(value["$float"]))[0]
        return {key: untag(item) for key, item in value.items()}
    if isinstance(value, list):
        return [untag(item) for item in value]
    return value
