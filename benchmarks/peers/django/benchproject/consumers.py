"""The reference app's two WebSocket endpoints, written as the Channels tutorial writes them (async consumers)."""

import json

from channels.generic.websocket import AsyncWebsocketConsumer


class EchoConsumer(AsyncWebsocketConsumer):
    """ws /ws/echo/: sends every frame back with its kind, empty ones included."""

    async def receive(self, text_data=None, bytes_data=None):
        if text_data is not None:
            await self.send(text_data=text_data)
        else:
            await self.send(bytes_data=bytes_data)


class ChatConsumer(AsyncWebsocketConsumer):
    """ws /ws/chat/{room}/: joins group chat_{room}; {"message": x} goes to every member as {"message": x}."""

    async def connect(self):
        self.group = "chat_" + self.scope["url_route"]["kwargs"]["room"]
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        if text_data is None:
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            return
        if isinstance(content, dict) and isinstance(content.get("message"), str):
            await self.channel_layer.group_send(self.group, {"type": "chat.message", "message": content["message"]})

    async def chat_message(self, event):
        await self.send(text_data=json.dumps({"message": event["message"]}))
