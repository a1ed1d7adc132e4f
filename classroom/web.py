"""The class's web server: three pages and a small JSON API over one :class:`Classroom`.

Plain HTML and JavaScript served by Starlette (what Solara itself runs on): nothing is
fetched from a CDN, and a student's page costs the server a poll a second, not a widget
kernel. The projector draws the network with the app's own widget front ends
(``visualization/network.js``, ``charts.js``) fed by the same binary frames as the app.
Every teacher route needs the key; refusals are one line (``{"error": ...}``).
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from trustcascade.visualization.canvas import HERE as WIDGETS
from trustcascade.visualization.canvas import PLOT

from . import debrief, export
from .service import Classroom, Refused
from .views import projector_state, student_state, teacher_state

STATIC = Path(__file__).parent / "static"
MAX_BODY = 4096
SCRIPTS = {"network.js": lambda: (WIDGETS / "network.js").read_text(),
           "charts.js": lambda: PLOT + (WIDGETS / "charts.js").read_text()}


def build_app(room: Classroom) -> Starlette:
    """The Starlette application serving ``room``."""

    async def body(request: Request) -> dict:
        raw = b""
        async for chunk in request.stream():  # never more than MAX_BODY in memory
            raw += chunk
            if len(raw) > MAX_BODY:
                raise Refused(f"request: body larger than {MAX_BODY} bytes", 413)
        try:
            data = json.loads(raw or b"{}")
        except ValueError:
            raise Refused("request: the body must be JSON") from None
        if not isinstance(data, dict):
            raise Refused("request: the body must be a JSON object")
        return data

    def teacher_only(handler):
        async def guarded(request: Request):
            room.check_key(request.query_params.get("key"))
            return await handler(request)
        return guarded

    def page(name: str, guarded: bool = False):
        async def serve(request: Request):
            if guarded:
                room.check_key(request.query_params.get("key"))
            return FileResponse(STATIC / name, headers={"Cache-Control": "no-store"})
        return serve

    async def static(request: Request):
        name = request.path_params["name"]
        if name in SCRIPTS:
            return Response(SCRIPTS[name](), media_type="text/javascript")
        if name not in {"classroom.js", "classroom.css"}:
            return PlainTextResponse("not found", 404)
        return FileResponse(STATIC / name)

    async def join(request: Request):
        data = await body(request)
        token = await call(room.join, data.get("name"))
        return JSONResponse({"token": token})

    async def me(request: Request):
        seat = await call(room.seen, request.query_params.get("token"))
        return JSONResponse(await call(student_state, room, seat))

    async def choose(request: Request):
        data = await body(request)
        await call(room.choose, data.get("token"), data.get("key"), data.get("option"))
        return JSONResponse(await call(student_state, room, room.seat(data.get("token"))))

    async def state(request: Request):
        return JSONResponse(await call(teacher_state, room))

    async def action(request: Request):
        data = await body(request)
        name = data.get("action")
        if name == "next":
            await call(room.advance)
        else:
            await call(room.teacher, name, data.get("value"))
        return JSONResponse(await call(teacher_state, room))

    async def export_csv(request: Request):
        return Response(await call(export.decisions_csv, room), media_type="text/csv",
                        headers={"Content-Disposition": 'attachment; filename="classroom.csv"'})

    async def export_parquet(request: Request):
        return Response(await call(export.decisions_parquet, room), media_type="application/vnd.apache.parquet",
                        headers={"Content-Disposition": 'attachment; filename="classroom.parquet"'})

    async def projector(request: Request):
        return JSONResponse(await call(projector_state, room))

    async def binary(request: Request):
        data = await call(projector_data, room, request.path_params["part"])
        if data is None:
            return PlainTextResponse("not found", 404)
        return Response(data, media_type="application/octet-stream", headers={"Cache-Control": "no-store"})

    async def widgets(request: Request):
        return JSONResponse(widget_settings())

    async def debrief_data(request: Request):
        return JSONResponse(await call(debrief.debrief, room))

    routes = [
        Route("/", page("student.html")),
        Route("/teacher", page("teacher.html", guarded=True)),
        Route("/projector", page("projector.html", guarded=True)),
        Route("/static/{name}", static),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
        Route("/api/join", join, methods=["POST"]),
        Route("/api/me", me),
        Route("/api/choose", choose, methods=["POST"]),
        Route("/teacher/state", teacher_only(state)),
        Route("/teacher/action", teacher_only(action), methods=["POST"]),
        Route("/teacher/export.csv", teacher_only(export_csv)),
        Route("/teacher/export.parquet", teacher_only(export_parquet)),
        Route("/projector/state", teacher_only(projector)),
        Route("/projector/data/{part}", teacher_only(binary)),
        Route("/projector/widgets", teacher_only(widgets)),
        Route("/projector/debrief", teacher_only(debrief_data)),
    ]
    return Starlette(routes=routes, exception_handlers={Refused: refused, 404: not_found, 500: failed})


def projector_data(room: Classroom, part: str) -> bytes | None:
    """What the projector's widgets draw, as the app sends it (``LiveRun``): the graph (a
    64-byte JSON header of part sizes and the graph's number, then positions, friend and
    family ties), the frame of node states, the series, the histogram."""
    with room.lock:
        if part == "graph":
            graph = room.run.graph()
            parts = [graph[k] for k in ("positions", "friends", "family")]
            header = json.dumps([len(b) for b in parts] + [room.month + 1]).encode().ljust(64)
            return header + b"".join(parts)
        if part == "frame":
            return room.run.frame(room.month + 1, room.month + 1, deltas=False)
        if part == "series":
            return room.run.series()
        if part == "histogram":
            return room.run.histogram()
    return None


def widget_settings() -> dict:
    """The widgets' settings as the app gives them (their synced traits' defaults)."""
    from trustcascade.visualization.canvas import Charts, NetworkView

    def defaults(widget, names):
        traits = widget.class_traits()
        return {name: traits[name].default() for name in names}

    return {"network": {**defaults(NetworkView, ("resolution", "colours", "tie_colours", "legend", "file_stem")),
                        "view_name": "projector", "caption": ""},
            "charts": defaults(Charts, ("names", "colours", "grade_colours"))}


async def call(function, *args):
    """Run a blocking service call off the event loop (a month takes milliseconds to a second)."""
    return await asyncio.get_running_loop().run_in_executor(None, function, *args)


async def refused(request: Request, error: Refused):
    return JSONResponse({"error": str(error)}, status_code=error.status)


async def not_found(request: Request, error):
    return PlainTextResponse("not found", 404)


async def failed(request: Request, error):
    """No traceback and no server paths to the browser (the server's log has them)."""
    return JSONResponse({"error": "server: the action failed; the teacher's terminal shows why"}, status_code=500)


async def auto_advance(room: Classroom, stop: asyncio.Event) -> None:
    """Advance the month on the teacher's timer (checked twice a second)."""
    while not stop.is_set():
        await call(room.tick)
        try:
            await asyncio.wait_for(stop.wait(), 0.5)
        except asyncio.TimeoutError:
            pass
