"""Reaching the dispatch queue's Redis, and starting a private one when none answers."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import redis

from gridwatch.ingest.url import redact_url


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def answers(url: str, timeout_s: float = 1.0) -> bool:
    """True when a Redis server answers PING at ``url``."""
    client = redis.Redis.from_url(url, socket_connect_timeout=timeout_s, socket_timeout=timeout_s)
    try:
        return bool(client.ping())
    except (redis.RedisError, OSError):
        return False
    finally:
        client.close()


class EmbeddedRedis:
    """A private ``redis-server`` on a free loopback port that keeps nothing on disk.

    With ``persist`` it keeps an append-only file (fsync on every write) in ``workdir``, so a
    server killed and started again on the same port and folder comes back with its data.
    Stopped by its own process id only; a shared server on 6379 is never touched.
    """

    def __init__(
        self, port: int | None = None, workdir: Path | None = None, persist: bool = False
    ) -> None:
        if persist and workdir is None:
            raise ValueError("a persistent embedded Redis needs a workdir")
        self.port = port or free_port()
        self.workdir = workdir
        self.persist = persist
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout_s: float = 10.0) -> EmbeddedRedis:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError(
                "redis-server is not installed (Debian package redis-server; scripts/setup.sh "
                "installs it)"
            )
        aof = ["--appendonly", "yes", "--appendfsync", "always"] if self.persist else [
            "--appendonly", "no"]
        args = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", *aof,
                "--protected-mode", "yes"]
        if self.workdir is not None:
            self.workdir.mkdir(parents=True, exist_ok=True)
            args += ["--dir", str(self.workdir)]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                err = self.process.stderr.read().decode() if self.process.stderr else ""
                raise RuntimeError(f"redis-server exited at start: {err.strip()[-400:]}")
            if answers(self.url, 0.2):
                return self
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"redis-server did not answer on port {self.port} in {timeout_s} s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None

    def kill(self) -> None:
        """SIGKILL, as in a crash: nothing is flushed beyond what was already fsynced."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(5)
        self.process = None

    def __enter__(self) -> EmbeddedRedis:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()


def connect_or_start(url: str, embedded: bool) -> tuple[str, EmbeddedRedis | None]:
    """The URL to use: ``url`` when it answers, else a fresh embedded server's (if allowed)."""
    if answers(url):
        return url, None
    if not embedded:
        raise RuntimeError(f"no Redis answers at {redact_url(url)} and embedded Redis is off")
    server = EmbeddedRedis().start()
    return server.url, server
