"""A real local HTTP server standing in for the city platform: verifies signatures and answers
with a scripted sequence of behaviours."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from gridwatch.queue.signature import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify


@dataclass
class Received:
    body: dict[str, Any]
    signed: bool
    headers: dict[str, str]


@dataclass
class Platform:
    """``script``: one behaviour per request ("200", "503", "400", "slow"); then ``then``."""

    secret: bytes
    script: list[str] = field(default_factory=list)
    then: str = "200"
    slow_s: float = 2.0
    received: list[Received] = field(default_factory=list)
    url: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_behaviour(self) -> str:
        with self.lock:
            return self.script.pop(0) if self.script else self.then


def _handler(platform: Platform) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers["Content-Length"]))
            signed = verify(platform.secret, self.headers.get(TIMESTAMP_HEADER, ""), raw,
                            self.headers.get(SIGNATURE_HEADER, ""), time.time())
            with platform.lock:
                platform.received.append(Received(json.loads(raw), signed, dict(self.headers)))
            behaviour = platform.next_behaviour()
            if behaviour == "slow":
                time.sleep(platform.slow_s)
                behaviour = "200"
            status = 401 if not signed else int(behaviour)
            text = {200: "ok", 400: "bad grid code", 401: "bad signature", 503: "busy"}[status]
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            with contextlib.suppress(OSError):  # the client gave up (timeout test)
                self.wfile.write(text.encode())

        def log_message(self, *_: object) -> None:
            pass

    return Handler


@contextmanager
def serve(platform: Platform) -> Iterator[Platform]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(platform))
    server.daemon_threads = True
    platform.url = f"http://127.0.0.1:{server.server_address[1]}/cases"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield platform
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
