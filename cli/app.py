"""``trustcascade app``: serve the browser page (Solara) on this machine.

The page's JS/CSS come from a local folder filled once during set-up
(``python -m trustcascade.visualization.assets``), so it works without internet.
"""

from __future__ import annotations

import sys

from trustcascade.model.schema import ParameterError


def add_arguments(parser) -> None:
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1: this machine only; 0.0.0.0 opts in to "
                             "serving the local network, e.g. a classroom)")
    parser.add_argument("--port", default="8765", help="port to listen on (default 8765; 0 = any free port)")


def port_number(text: str) -> int:
    """A TCP port 0..65535 (0 = any free port), or a one-line refusal."""
    if not str(text).strip().isdigit() or int(text) > 65535:
        raise ParameterError("--port", f"--port must be a whole number in the range [0, 65535]; got {text!r}")
    return int(text)


def command(args) -> int:
    from trustcascade.visualization import assets

    port = port_number(args.port)
    if port == 0:
        import socket

        with socket.socket() as probe:
            probe.bind((args.host, 0))
            port = probe.getsockname()[1]
    folder = assets.prepare_environment()
    missing = assets.missing(folder)
    if missing:
        print(f"trustcascade app: {len(missing)} browser packages missing in {folder} "
              f"({', '.join(missing)}); the page will fetch them from the internet. To work offline, run "
              "`python -m trustcascade.visualization.assets` once while online.", file=sys.stderr)
    check_free(args.host, port)
    import warnings

    # Solara warns on every visit over plain http that it falls back to samesite=lax cookies
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https")
    serving_environment()
    import trustcascade.model.model  # noqa: F401  (imports mesa, ~2 s, now rather than on the first visit)
    import trustcascade.visualization.app  # noqa: F401
    from solara.__main__ import cli as solara_cli

    guard_diagnostics()

    url = f"http://{args.host}:{port}"
    print(f"trustcascade app: serving the page at {url} (Ctrl+C stops)", flush=True)
    if args.host in ("0.0.0.0", "::"):
        shared = ", ".join(f"http://{address}:{port}" for address in lan_addresses()) or "this machine's address"
        print(f"trustcascade app: open to the local network: students open {shared}; anyone on this "
              "network can reach the page (each browser tab gets its own society)", flush=True)
    import threading

    threading.Thread(target=warm_up, args=(f"http://127.0.0.1:{port}" if args.host in ("0.0.0.0", "::")
                                           else url,), daemon=True).start()
    solara_cli(["run", APP_MODULE, "--host", args.host, "--port", str(port),
                "--production", "--no-open", "--no-check-version", "--log-level", "warning"],
               standalone_mode=False)
    return 0


APP_MODULE = "trustcascade.visualization.app"
CULL_TIMEOUT = "2m"
"""How long a closed or disconnected tab's societies are kept (Solara's default is 24 h): a
reload or a short network drop within it finds the tab's session again."""
DIAGNOSTIC = ("/resourcez", "/readyz")
"""Solara's diagnostic pages (threads, sessions, memory): answered on loopback only."""


def serving_environment() -> None:
    """Settings for Solara, before it is imported: cull disconnected sessions within minutes
    (``SOLARA_KERNEL_CULL_TIMEOUT`` set by the user wins)."""
    import os

    os.environ.setdefault("SOLARA_KERNEL_CULL_TIMEOUT", CULL_TIMEOUT)


def guard_diagnostics() -> None:
    """Answer Solara's diagnostic pages only to this machine (404 to anyone on the LAN).

    Solara's server module registers the page named by ``SOLARA_APP`` when it is first
    imported; ``solara run`` sets it just before, so it is set here first, to the same page.
    """
    import ipaddress
    import os

    os.environ["SOLARA_APP"] = APP_MODULE

    from solara.server.starlette import app as solara_app
    from starlette.responses import PlainTextResponse

    class LoopbackOnly:
        def __init__(self, app):
            self.app = app

        async def __call__(self, scope, receive, send):
            if scope["type"] == "http" and scope.get("path", "").rstrip("/") in DIAGNOSTIC:
                client = (scope.get("client") or ("", 0))[0]
                try:
                    local = ipaddress.ip_address(client).is_loopback
                except ValueError:
                    local = False
                if not local:
                    await PlainTextResponse("not found", 404)(scope, receive, send)
                    return
            await self.app(scope, receive, send)

    solara_app.add_middleware(LoopbackOnly)


def check_free(host: str, port: int) -> None:
    """Refuse, in one line, a host that does not resolve or a port already taken."""
    import socket

    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as error:
        raise ParameterError("--port", f"cannot serve on {host}:{port}: {error.strerror or error}") from None



def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses other than loopback, to tell students what to open.

    Asks the operating system only: the hostname's addresses, and the source address it would
    use for a LAN route (a UDP socket's ``connect`` sends no packet).
    """
    import socket

    found: list[str] = []
    try:
        found += socket.gethostbyname_ex(socket.gethostname())[2]
    except OSError:
        pass
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))
            found.append(probe.getsockname()[0])
    except OSError:
        pass
    return sorted({address for address in found if not address.startswith("127.")})


def warm_up(url: str, timeout: float = 60.0) -> None:
    """Once the server answers, fetch the page and the files it links to, so the first
    visitor does not pay for the server's cold code paths (about 1 s of first paint)."""
    import re
    import time
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/", timeout=5) as answer:
                html = answer.read().decode("utf-8", "replace")
            break
        except OSError:
            time.sleep(0.2)
    else:
        return
    for link in sorted(set(re.findall(r'(?:src|href)="(/[^"]+)"', html))):
        try:
            request = urllib.request.Request(url + link, headers={"Accept-Encoding": "gzip, br"})
            with urllib.request.urlopen(request, timeout=10) as answer:
                answer.read()
        except OSError:
            pass
