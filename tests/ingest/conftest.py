"""Ingest fixtures: real clips, a real RTSP simulator, and small misbehaving TCP servers."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from gridwatch.sim.pytest_fixtures import (  # noqa: F401  (fixtures)
    camera_simulator,
    counter_clip,
    gi_python,
    short_clip,
)
from tests.ingest.ingest_helpers import FAKE_SERVER_PREFIX, READER_PREFIX, FakeServer, garbage, hang


@pytest.fixture(autouse=True)
def no_reader_threads_left() -> Iterator[None]:
    """Every test must leave no reader thread (or fake server thread) behind."""
    yield
    leftover = [t.name for t in threading.enumerate()
                if t.name.startswith((READER_PREFIX, FAKE_SERVER_PREFIX)) and t.is_alive()]
    assert not leftover, f"threads left running: {leftover}"


@pytest.fixture
def hanging_server() -> Iterator[FakeServer]:
    server = FakeServer(hang)
    yield server
    server.close()


@pytest.fixture
def garbage_server() -> Iterator[FakeServer]:
    server = FakeServer(garbage)
    yield server
    server.close()


@pytest.fixture
def closed_port() -> int:
    """A port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
