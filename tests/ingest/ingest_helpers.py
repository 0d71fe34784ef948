"""Small helpers shared by the ingest tests: polling, and misbehaving TCP servers."""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections.abc import Callable

READER_PREFIX = "gridwatch-reader-"
FAKE_SERVER_PREFIX = "fake-server"


def wait_for(condition: Callable[[], bool], timeout: float = 20.0) -> bool:
    """Poll ``condition`` until true or ``timeout`` (a generous bound, not a timing claim)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


class FakeServer:
    """A TCP server on 127.0.0.1 that accepts and then misbehaves (``handle(conn)``)."""

    def __init__(self, handle: Callable[[socket.socket], None]) -> None:
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(0.1)
        self.port = int(self._sock.getsockname()[1])
        self.accepted = 0
        self._handle = handle
        self._conns: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name=FAKE_SERVER_PREFIX, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"rtsp://admin:fake-secret-77@127.0.0.1:{self.port}/stream"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            self.accepted += 1
            self._conns.append(conn)
            with contextlib.suppress(OSError):
                self._handle(conn)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        for conn in self._conns:
            conn.close()
        self._sock.close()


def hang(conn: socket.socket) -> None:
    """Accept, read nothing, answer nothing (the connection stays open)."""


def garbage(conn: socket.socket) -> None:
    """Answer the first request with random bytes, then close."""
    conn.settimeout(1)
    with contextlib.suppress(TimeoutError):
        conn.recv(4096)
    conn.sendall(os.urandom(4096) + b"\r\n\r\n")
    conn.close()
