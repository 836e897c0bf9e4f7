"""Settings of the Django Channels peer for Switchboard's benchmark (benchmarks/peers/django).

The channel layer comes from the environment, so the same app runs on either layer:

- DJANGO_CHANNEL_LAYER: "memory" (the default: channels.layers.InMemoryChannelLayer) or a Redis URL such as
  "redis://127.0.0.1:6379/0" (channels_redis.core.RedisChannelLayer; needs the python3-channels-redis package).
- DJANGO_CHANNEL_CAPACITY: messages one channel may hold (Channels' default is 100). Raised to 100000 by default so
  that a burst of 10,000 messages fits every consumer's channel: Channels' group_send drops messages for a full
  channel silently, and the benchmark should measure the server, not that setting. The harness reports any loss.
"""

import os

SECRET_KEY = "benchmark-only-not-a-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = ["channels"]
MIDDLEWARE = []
ROOT_URLCONF = "benchproject.urls"
ASGI_APPLICATION = "benchproject.asgi.application"
DATABASES = {}
USE_TZ = True

_layer = os.environ.get("DJANGO_CHANNEL_LAYER", "memory")
_capacity = int(os.environ.get("DJANGO_CHANNEL_CAPACITY", "100000"))
if _layer == "memory":
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels.layers.InMemoryChannelLayer", "CONFIG": {"capacity": _capacity}},
    }
elif _layer.startswith(("redis://", "rediss://", "unix://")):
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [_layer], "capacity": _capacity}},
    }
else:
    raise ValueError(f"DJANGO_CHANNEL_LAYER={_layer!r}: use 'memory' or a redis:// URL")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
