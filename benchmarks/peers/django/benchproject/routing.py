from django.urls import path, re_path

from . import consumers

websocket_urlpatterns = [
    path("ws/echo/", consumers.EchoConsumer.as_asgi()),
    re_path(r"^ws/chat/(?P<room>[A-Za-z0-9_.-]{1,90})/$", consumers.ChatConsumer.as_asgi()),
]
