"""A page session without a browser: speaks Solara's websocket protocol as the page's JavaScript does.

Learned by recording a real page's websocket with Playwright (``page.on("websocket")``): the page
opens ``/jupyter/api/kernels/<new uuid>/channels?session_id=<new uuid>`` with the
``solara-session-id`` cookie, sends ``kernel_info_request``, opens a ``solara.control`` comm and
asks it to ``run`` the app; the server then opens one ``jupyter.widget`` comm per widget (its full
state) and sends ``update`` messages as the page re-renders. A button press is a ``custom`` comm
message ``{"event": "click"}`` to the button's widget; typing into a field is an ``update`` of its
``v_model`` followed by a ``keyup.enter`` event. Messages carrying binary buffers (the network
view's frames) come as binary frames: a count, offsets, the JSON, then the buffers
(``solara.server.kernel.serialize_binary_message``). The widgets are found by their CSS classes
(``class_``), as the browser tests find them.
"""

from __future__ import annotations

import asyncio
import json
import struct
import urllib.request
import uuid
from datetime import datetime, timezone

import websockets


def decode(frame) -> dict:
    """A websocket frame as a Jupyter message (binary frames: JSON part plus buffers)."""
    if isinstance(frame, str):
        return json.loads(frame)
    count = struct.unpack("!I", frame[:4])[0]
    offsets = [*struct.unpack("!" + "I" * count, frame[4:4 * (count + 1)]), len(frame)]
    message = json.loads(frame[offsets[0]:offsets[1]].decode("utf-8"))
    message["buffers"] = [frame[a:b] for a, b in zip(offsets[1:-1], offsets[2:])]
    return message


class PageSession:
    """One student's tab: the widget states the server sent, and ways to press and type."""

    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/")
        self.session = str(uuid.uuid4())
        self.widgets: dict[str, dict] = {}
        self.errors: list[str] = []
        self.changed = asyncio.Event()
        self.socket = None
        self._control = str(uuid.uuid4())
        self._reader = None

    async def open(self, timeout: float = 60.0) -> None:
        """Load the page (for its cookie), connect, run the app, wait for its Step button."""
        cookie = await asyncio.to_thread(self._cookie)
        url = (self.base_url.replace("http", "ws", 1) + f"/jupyter/api/kernels/{uuid.uuid4()}/channels"
               f"?session_id={self.session}")
        self.socket = await websockets.connect(url, additional_headers={"Cookie": cookie}, max_size=None,
                                               open_timeout=timeout)
        self._reader = asyncio.create_task(self._read())
        await self._send("kernel_info_request", {})
        await self._send("comm_open", {"comm_id": self._control, "target_name": "solara.control", "data": {}})
        await self._send("comm_msg", {"comm_id": self._control, "data": {
            "method": "run", "args": {"path": "/", "dark": False, "themes": {"light": {}, "dark": {}},
                                      "appName": None}}})
        await self.wait_for(lambda: self.find("tc-step-button") and self.text("tc-step"), timeout)

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)

    def _cookie(self) -> str:
        with urllib.request.urlopen(self.base_url + "/", timeout=30) as answer:
            answer.read()
            cookies = answer.headers.get_all("Set-Cookie") or []
        return "; ".join(c.split(";", 1)[0] for c in cookies)

    async def _send(self, kind: str, content: dict) -> None:
        header = {"date": datetime.now(timezone.utc).isoformat(), "msg_id": str(uuid.uuid4()),
                  "msg_type": kind, "session": self.session, "username": "", "version": "5.2"}
        await self.socket.send(json.dumps({"buffers": [], "channel": "shell", "content": content,
                                           "header": header, "metadata": {}, "parent_header": {}}))

    async def _read(self) -> None:
        try:
            async for frame in self.socket:
                self._take(decode(frame))
        except websockets.ConnectionClosedError as closed:
            self.errors.append(f"connection closed: {closed}")

    def _take(self, message: dict) -> None:
        kind, content = message.get("msg_type") or message["header"]["msg_type"], message.get("content", {})
        if kind == "comm_open" and content.get("target_name") == "jupyter.widget":
            self.widgets[content["comm_id"]] = dict(content["data"].get("state", {}))
        elif kind == "comm_msg" and content.get("data", {}).get("method") == "update":
            self.widgets.setdefault(content["comm_id"], {}).update(content["data"].get("state", {}))
        elif kind == "comm_close":
            self.widgets.pop(content.get("comm_id"), None)
        elif kind == "error" or (kind == "stream" and content.get("name") == "stderr"):
            self.errors.append(f"{kind}: {content}")
        self.changed.set()

    def find(self, css_class: str) -> str | None:
        """The comm id of the widget carrying ``css_class`` (the last one opened, if several)."""
        found = None
        for comm_id, state in self.widgets.items():
            if css_class in str(state.get("class_") or "").split():
                found = comm_id
        return found

    def text(self, css_class: str) -> str | None:
        """The text of a ``solara.Text`` (its first child) carrying ``css_class``."""
        comm_id = self.find(css_class)
        children = self.widgets[comm_id].get("children") if comm_id else None
        return children[0] if children and isinstance(children[0], str) else None

    async def wait_for(self, condition, timeout: float):
        """Wait until ``condition()`` is true (re-checked on every message); its value."""
        async with asyncio.timeout(timeout):
            while not (value := condition()):
                self.changed.clear()
                await self.changed.wait()
        return value

    async def click(self, css_class: str) -> None:
        await self._event(css_class, "click")

    async def type_in(self, css_class: str, text: str) -> None:
        """Type ``text`` into the field carrying ``css_class`` and press Enter."""
        comm_id = self.find(css_class)
        await self._send("comm_msg", {"comm_id": comm_id, "data": {"method": "update", "state": {"v_model": text},
                                                                   "buffer_paths": []}})
        await self._event(css_class, "keyup.enter")

    async def _event(self, css_class: str, event: str) -> None:
        comm_id = self.find(css_class)
        if comm_id is None:
            raise LookupError(f"no widget with class {css_class!r}")
        await self._send("comm_msg", {"comm_id": comm_id, "data": {"method": "custom",
                                                                   "content": {"event": event, "data": {}}}})
