"""Simulated cameras for tests and demos: real RTSP from a child process.

``CameraSimulator({"cam1": clip_path}).start()`` runs ``rtsp_server.py`` with a Python that has
GStreamer's bindings (the project's venv has none), waits for it to listen, and hands out
``rtsp://`` URLs. ``stop()``/``restart()`` make a camera disappear and come back on the same port;
``pause()``/``resume()`` freeze it (SIGSTOP: the TCP connection stays open, nothing arrives),
like a hung camera. Only the child's own pid is ever signalled; the child also exits when our
end of its stdin closes, so a crashed test leaves no server behind.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from urllib.parse import quote

SERVER_SCRIPT = Path(__file__).with_name("rtsp_server.py")
GI_PYTHON_ENV = "GRIDWATCH_GI_PYTHON"
AUTH_ENV = "GRIDWATCH_SIM_AUTH"
DEBIAN_PACKAGES = (
    "python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-rtsp gstreamer1.0-plugins-base "
    "gstreamer1.0-plugins-good gstreamer1.0-plugins-bad"
)
_GI_CHECK = (
    "import gi; gi.require_version('Gst', '1.0'); gi.require_version('GstRtspServer', '1.0'); "
    "from gi.repository import Gst, GstRtspServer"
)
_READY = re.compile(r"^READY port=(\d+)", re.MULTILINE)
_EXIT_CANNOT_LISTEN = 3
_POLL_S = 0.05
_verified: set[str] = set()


class SimulatorUnavailable(RuntimeError):
    """No Python with GStreamer's RTSP server bindings on this machine."""


class SimulatorError(RuntimeError):
    """The server did not start (bad clip, port taken, crashed)."""


def _has_gi(python: str) -> bool:
    if python in _verified:
        return True
    try:
        done = subprocess.run([python, "-I", "-c", _GI_CHECK], capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return False
    if done.returncode == 0:
        _verified.add(python)
    return done.returncode == 0


def _default_candidates() -> list[str]:
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    found = [
        "/usr/bin/python3", f"/usr/bin/{version}", "/usr/local/bin/python3",
        getattr(sys, "_base_executable", ""), shutil.which("python3") or "",
    ]
    return [p for i, p in enumerate(found) if p and p not in found[:i] and Path(p).is_file()]


def find_gi_python() -> str:
    """``$GRIDWATCH_GI_PYTHON`` if set, else the first system Python that imports
    ``GstRtspServer``; ``SimulatorUnavailable`` (naming the Debian packages) if none does."""
    override = os.environ.get(GI_PYTHON_ENV)
    candidates = [override] if override else _default_candidates()
    for python in candidates:
        if _has_gi(python):
            return python
    raise SimulatorUnavailable(
        f"no Python with GStreamer RTSP server bindings (tried {', '.join(candidates) or 'none'}). "
        f"On Debian/Ubuntu: apt-get install {DEBIAN_PACKAGES}; or set {GI_PYTHON_ENV} to a "
        "python that has them."
    )


class CameraSimulator:
    """RTSP cameras serving looping clips: ``rtsp://host:port/NAME`` for each ``NAME: clip``."""

    def __init__(
        self,
        clips: Mapping[str, str | Path],
        *,
        port: int = 0,
        host: str = "127.0.0.1",
        credentials: tuple[str, str] | None = None,
        ready_timeout_s: float = 30.0,
        python: str | None = None,
    ) -> None:
        if not clips:
            raise ValueError("CameraSimulator needs at least one clip")
        self.clips = {name: Path(path) for name, path in clips.items()}
        self.host = host
        self.port = port
        self.credentials = credentials
        self.ready_timeout_s = ready_timeout_s
        self._python = python
        self._proc: subprocess.Popen[bytes] | None = None
        self._log_path: Path | None = None
        self._last_log = ""
        self._paused = False
        self.returncode: int | None = None  # of the last server process, once stopped

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> CameraSimulator:
        """Start the server and wait until it listens (retrying a port still being released)."""
        if self.running:
            raise RuntimeError("the simulator is already running")
        deadline = time.monotonic() + self.ready_timeout_s
        while True:
            code = self._launch(deadline)
            if code is None:
                return self
            if code != _EXIT_CANNOT_LISTEN or self.port == 0 or time.monotonic() > deadline:
                message = f"rtsp_server exited with {code}: {self.log_tail()}"
                self._remove_log()
                raise SimulatorError(message)
            time.sleep(0.2)

    def stop(self, timeout_s: float = 5.0) -> None:
        """SIGTERM the server (its own pid only), SIGKILL if it does not exit in ``timeout_s``."""
        proc, self._proc = self._proc, None
        if proc is None:
            self._remove_log()
            return
        if self._paused:
            proc.send_signal(signal.SIGCONT)
            self._paused = False
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout_s)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout_s)
        if proc.stdin is not None:
            proc.stdin.close()
        self.returncode = proc.returncode
        self._remove_log()

    def restart(self) -> None:
        """Stop, then start again on the same port (clients must reconnect)."""
        self.stop()
        self.start()

    def pause(self) -> None:
        """Freeze the server (SIGSTOP): connections stay open, no data flows."""
        self._require_running().send_signal(signal.SIGSTOP)
        self._paused = True

    def resume(self) -> None:
        self._require_running().send_signal(signal.SIGCONT)
        self._paused = False

    def __enter__(self) -> CameraSimulator:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- what tests use ------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    def url(self, name: str, *, with_credentials: bool = True) -> str:
        if name not in self.clips:
            raise KeyError(f"no clip named {name!r}; have {sorted(self.clips)}")
        if self.port == 0:
            raise RuntimeError("start the simulator first (the port is chosen at start)")
        userinfo = ""
        if self.credentials and with_credentials:
            user, password = (quote(part, safe="") for part in self.credentials)
            userinfo = f"{user}:{password}@"
        return f"rtsp://{userinfo}{self.host}:{self.port}/{name}"

    def clients_open(self) -> int:
        """RTSP client connections open now (this server run), as the server reports them."""
        log = self.log_tail(10_000_000)
        return log.count("CLIENT open\n") - log.count("CLIENT closed\n")

    def sessions(self, name: str) -> int:
        """Streams of ``name`` set up for clients so far (this server run): one per connect."""
        return self.log_tail(10_000_000).count(f"SESSION name={name}\n")

    def log_tail(self, chars: int = 2000) -> str:
        """The end of the server's output (of the last run, once stopped)."""
        if self._log_path is None or not self._log_path.exists():
            return self._last_log[-chars:]
        return self._log_path.read_text(errors="replace")[-chars:]

    # -- internals -----------------------------------------------------------------------------

    def _command(self, python: str) -> list[str]:
        command = [python, "-I", "-u", str(SERVER_SCRIPT), "--host", self.host,
                   "--port", str(self.port), "--exit-on-stdin-eof"]
        for name, path in self.clips.items():
            command += ["--clip", f"{name}={path}"]
        return command

    def _environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
        env.pop(AUTH_ENV, None)
        if self.credentials:
            env[AUTH_ENV] = ":".join(self.credentials)
        return env

    def _launch(self, deadline: float) -> int | None:
        """Start once; None when ready, else the exit code."""
        python = self._python or find_gi_python()
        self._remove_log()
        fd, name = tempfile.mkstemp(prefix="gridwatch-rtsp-", suffix=".log")
        self._log_path = Path(name)
        with os.fdopen(fd, "ab") as log_file:
            self._proc = subprocess.Popen(
                self._command(python), stdin=subprocess.PIPE, stdout=log_file,
                stderr=subprocess.STDOUT, env=self._environment(), close_fds=True,
            )
        return self._wait_ready(self._proc, deadline)

    def _wait_ready(self, proc: subprocess.Popen[bytes], deadline: float) -> int | None:
        while time.monotonic() < deadline:
            match = _READY.search(self.log_tail(100_000))
            if match:
                self.port = int(match.group(1))
                return None
            code = proc.poll()
            if code is not None:
                self._proc = None
                if proc.stdin is not None:
                    proc.stdin.close()
                return code
            time.sleep(_POLL_S)
        self.stop()
        raise SimulatorError(
            f"rtsp_server not ready within {self.ready_timeout_s:g}s: {self.log_tail()}"
        )

    def _require_running(self) -> subprocess.Popen[bytes]:
        if self._proc is None or self._proc.poll() is not None:
            raise RuntimeError("the simulator is not running")
        return self._proc

    def _remove_log(self) -> None:
        if self._log_path is not None:
            self._last_log = self.log_tail(100_000)
            self._log_path.unlink(missing_ok=True)
            self._log_path = None
