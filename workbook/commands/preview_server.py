"""The HTTP side of `workbook serve`: the built site on 127.0.0.1, with a small live script.

Each HTML page is served with one script added (`live.js`: reload when the page changed, show a
source problem, build the PDFs and the EPUB on request) and its policy opened to this origin
for that script's connection; the files on disk stay exactly what `workbook build` makes.
Requests must name this server as their host and, to start a build, come from its own pages,
so another website in the same browser can neither read the preview nor start builds.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

ASSETS = Path(__file__).resolve().parent / "serve_assets"
PREFIX = "/_workbook/"
KEEPALIVE_SECONDS = 15.0
CLOSED_POLICY = "default-src 'none';"
OPEN_POLICY = "default-src 'none'; connect-src 'self';"


@dataclass
class LiveState:
    """What the open pages are told: each build's number, which files it changed, and the
    problems that stopped the last one (none when it worked)."""

    generation: int = 0
    changed: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    note: str = ""  # how the build of the PDFs and EPUB is going
    condition: threading.Condition = field(default_factory=threading.Condition)
    stopping: bool = False

    def publish(self, **changes: Any) -> None:
        with self.condition:
            for name, value in changes.items():
                setattr(self, name, value)
            self.generation += 1
            self.condition.notify_all()

    def message(self) -> str:
        data = {
            "generation": self.generation,
            "changed": list(self.changed),
            "problems": list(self.problems),
            "note": self.note,
        }
        return json.dumps(data)

    def wait_after(self, generation: int, timeout: float) -> int:
        with self.condition:
            self.condition.wait_for(lambda: self.generation != generation or self.stopping, timeout)
            return self.generation

    def stop(self) -> None:
        with self.condition:
            self.stopping = True
            self.condition.notify_all()


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # an open event stream never keeps `serve` from stopping

    def __init__(
        self, port: int, site: Callable[[], Path], state: LiveState, build_all: Callable[[], None]
    ) -> None:
        self.site = site
        self.state = state
        self.build_all = build_all
        super().__init__(("127.0.0.1", port), _Handler)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(SimpleHTTPRequestHandler):
    server: PreviewServer

    def __init__(self, request: Any, client_address: Any, server: PreviewServer) -> None:
        super().__init__(request, client_address, server, directory=str(server.site()))

    def log_message(self, format: str, *args: Any) -> None:  # quiet: the terminal is for us
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def do_GET(self) -> None:
        if not self._host_is_ours():
            self.send_error(HTTPStatus.FORBIDDEN)
            return
        path = unquote(urlsplit(self.path).path)
        if path == PREFIX + "events":
            self._events()
        elif path == PREFIX + "live.js":
            self._send(ASSETS.joinpath("live.js").read_bytes(), "text/javascript; charset=utf-8")
        elif path.endswith((".html", "/")) and (page := self._page(path)) is not None:
            self._send(page, "text/html; charset=utf-8")
        else:
            super().do_GET()

    def do_POST(self) -> None:
        origin = self.headers.get("Origin", "")
        if not self._host_is_ours() or origin != self.server.origin:
            self.send_error(HTTPStatus.FORBIDDEN)
            return
        if urlsplit(self.path).path != PREFIX + "build-all":
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        self.server.build_all()
        self._send(b"{}", "application/json", HTTPStatus.ACCEPTED)

    def _host_is_ours(self) -> bool:
        """No other name for this server (a web page's DNS rebinding trick) is answered."""
        port = self.server.server_address[1]
        return self.headers.get("Host", "") in (f"127.0.0.1:{port}", f"localhost:{port}")

    def _page(self, path: str) -> bytes | None:
        """The page with the live script; while the site has never built, the problem."""
        site = self.server.site()
        name = path.lstrip("/") or "index.html"
        if name.endswith("/"):
            name += "index.html"
        file = (site / name).resolve()
        if file.is_relative_to(site.resolve()) and file.is_file():
            html = file.read_text(encoding="utf-8")
        elif not site.is_dir():
            html = _waiting_page()
        else:
            return None
        html = html.replace(CLOSED_POLICY, OPEN_POLICY, 1)
        generation = self.server.state.generation
        script = f'<script src="{PREFIX}live.js" defer data-generation="{generation}"></script>'
        return html.replace("</head>", script + "</head>", 1).encode("utf-8")

    def _events(self) -> None:
        """Server-sent events: the state now, then again after every build."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        state = self.server.state
        generation = -1
        try:
            while not state.stopping:
                if generation != state.generation:
                    generation = state.generation
                    self.wfile.write(f"data: {state.message()}\n\n".encode())
                else:
                    self.wfile.write(b": still here\n\n")
                self.wfile.flush()
                state.wait_after(generation, KEEPALIVE_SECONDS)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _send(self, body: bytes, kind: str, status: HTTPStatus = HTTPStatus.OK) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _waiting_page() -> str:
    """Shown until the first build works: the live script fills in the problem."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"/>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>'
        f'<meta http-equiv="Content-Security-Policy" content="{CLOSED_POLICY} '
        "script-src 'self'; style-src 'self'\"/>"
        "<title>Workbook preview</title></head><body><main><h1>Workbook preview</h1>"
        "<p>The workbook has not built yet. What needs fixing is shown below; the page "
        "reloads by itself when it builds.</p></main></body></html>"
    )
