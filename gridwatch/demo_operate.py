"""The demo's command-hall side: the case service and the API + console, next to the worker.

``operate(site, users_file, port)`` runs, until the ``with`` block ends:
- the case service (``CaseProcess``): dispatch stream → store → escalation, verification;
- the API and operator console on ``http://127.0.0.1:PORT/console/`` (``port=0``: no API),
  with a demo admin whose password comes from ``$GRIDWATCH_PASSWORD`` or is generated and
  printed once (it is never written anywhere but the hashed users file).
"""

from __future__ import annotations

import os
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import redis
import uvicorn

from gridwatch.api.app import create_app
from gridwatch.api.security.roles import Role
from gridwatch.api.security.users import UserStore
from gridwatch.api.settings import ApiSettings
from gridwatch.cases.process import CaseProcess
from gridwatch.config.models import GridwatchConfig
from gridwatch.store.store import Store, open_store

DEMO_USER = "demo"
PASSWORD_ENV = "GRIDWATCH_PASSWORD"


@dataclass
class Operations:
    """What ``operate`` runs; ``console_url`` is None when the API is off."""

    cases: CaseProcess
    store: Store
    console_url: str | None
    user: str
    password: str | None


def demo_user(users_file: Path) -> str:
    """(Re)create the demo admin; returns its password."""
    password = os.environ.get(PASSWORD_ENV) or secrets.token_urlsafe(12)
    users = UserStore(users_file)
    if DEMO_USER in users.users():
        users.remove_user(DEMO_USER)
    users.add_user(DEMO_USER, Role.ADMIN, password)
    return password


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


@contextmanager
def serve_api(site: GridwatchConfig, users_file: Path, port: int) -> Iterator[str]:
    """The API in a thread of this process on 127.0.0.1:``port``; yields the console's URL."""
    if not port_is_free(port):
        raise RuntimeError(f"port {port} on 127.0.0.1 is taken; pass another --api-port (0: no API)")
    settings = ApiSettings(
        users_file=users_file,
        camera_event_stream=site.camera_health.events_stream,
        escalation_stream=site.escalation.stream,
    )
    app = create_app(settings, site=site)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="on"))
    thread = threading.Thread(target=server.run, name="demo-api", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the API did not start on port {port}")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}/console/"
    finally:
        server.should_exit = True
        thread.join(10)


@contextmanager
def operate(site: GridwatchConfig, client: redis.Redis, users_file: Path,
            port: int) -> Iterator[Operations]:
    """Run the case service (and the API unless ``port`` is 0) while the block runs."""
    store = open_store(site.store)
    cases = CaseProcess(site, client, store, consumer="demo")
    cases.ensure_groups()
    thread = threading.Thread(target=cases.run, name="demo-cases", daemon=True)
    thread.start()
    try:
        if port == 0:
            yield Operations(cases, store, None, DEMO_USER, None)
            return
        password = demo_user(users_file)
        with serve_api(site, users_file, port) as url:
            yield Operations(cases, store, url, DEMO_USER, password)
    finally:
        cases.stop()
        thread.join(15)
        store.close()
