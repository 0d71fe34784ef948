#!/usr/bin/env python3
"""Simulated cameras: serve pre-encoded H.264 MP4 clips over real RTSP, looping forever.

Run with a Python that has GStreamer's introspection bindings (Debian: python3-gi,
gir1.2-gst-rtsp-server-1.0, gstreamer1.0-rtsp, gstreamer1.0-plugins-{base,good,bad}); it uses only
the standard library and ``gi``, so the project's virtual environment is not needed::

    /usr/bin/python3 rtsp_server.py --port 8554 --clip cam1=/data/a.mp4 --clip cam2=/data/b.mp4

Each clip is demuxed once into memory (H.264 access units with their timestamps). Every client
gets its own pipeline (``appsrc ! h264parse ! rtph264pay``) fed on ``need-data`` from the start of
the clip, with timestamps that keep increasing across loops, so the stream loops seamlessly and
the sink's clock keeps it at real-time pace. Nothing is encoded live (about 0.6% of a core per
640x360 10 fps client here). Clips are held in memory: meant for clips of seconds to minutes.
``--auth user:password`` (or ``$GRIDWATCH_SIM_AUTH``) requires RTSP basic authentication. Prints
``READY port=N ...`` on stdout once listening; exits 0 on SIGTERM or SIGINT, or when stdin closes
with ``--exit-on-stdin-eof``. Each client connection prints ``CLIENT open`` and ``CLIENT closed``,
each stream set up for a client ``SESSION name=NAME`` (tests count connections with these).
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

AUTH_ENV = "GRIDWATCH_SIM_AUTH"
_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")
_LOAD_TIMEOUT_S = 30
_PULL_WAIT_NS = 100_000_000
_PIPELINE = (
    "( appsrc name=src is-live=false format=time do-timestamp=false ! "
    "h264parse config-interval=-1 ! rtph264pay name=pay0 pt=96 )"
)


@dataclass(frozen=True)
class Clip:
    """One clip in memory: caps, access units in decode order, and the loop period."""

    name: str
    caps: Any  # Gst.Caps
    buffers: tuple[Any, ...]  # Gst.Buffer, timestamps as demuxed
    origin_ns: int  # subtracted from every timestamp so the first loop starts at >= 0
    period_ns: int  # added per loop


def _copy_flags() -> Any:
    flags = Gst.BufferCopyFlags
    return flags.FLAGS | flags.TIMESTAMPS | flags.META | flags.MEMORY


_COPY_FLAGS = _copy_flags()


def _valid(ts: int) -> bool:
    return ts != Gst.CLOCK_TIME_NONE and ts >= 0


def _demux(path: Path) -> tuple[Any, list[Any]]:
    """All H.264 access units (byte-stream, SPS/PPS before each IDR) and their caps."""
    pipeline = Gst.parse_launch(
        "filesrc name=file ! qtdemux name=demux demux.video_0 ! "
        "h264parse config-interval=-1 ! "
        "video/x-h264,stream-format=byte-stream,alignment=au ! appsink name=sink sync=false"
    )
    pipeline.get_by_name("file").set_property("location", str(path))
    sink = pipeline.get_by_name("sink")
    pipeline.set_state(Gst.State.PLAYING)
    try:
        caps, buffers = _pull_all(pipeline, sink, path)
    finally:
        pipeline.set_state(Gst.State.NULL)
    if caps is None or not buffers:
        raise ValueError(f"no H.264 video found in {path}")
    return caps, buffers


def _pull_all(pipeline: Any, sink: Any, path: Path) -> tuple[Any, list[Any]]:
    caps, buffers = None, []
    deadline = time.monotonic() + _LOAD_TIMEOUT_S
    while True:
        sample = sink.emit("try-pull-sample", _PULL_WAIT_NS)
        if sample is not None:
            caps = caps or sample.get_caps()
            buffers.append(sample.get_buffer())
            continue
        error = pipeline.get_bus().pop_filtered(Gst.MessageType.ERROR)
        if error is not None:
            raise ValueError(f"cannot read {path}: {error.parse_error()[0].message}")
        if sink.get_property("eos"):
            return caps, buffers
        if time.monotonic() > deadline:
            raise ValueError(f"cannot read {path}: no end after {_LOAD_TIMEOUT_S}s")


def _frame_ns(caps: Any, buffers: list[Any]) -> int:
    """One frame's duration: from the buffers, else the caps' framerate, else 40 ms."""
    durations = [b.duration for b in buffers if _valid(b.duration) and b.duration > 0]
    if durations:
        return int(sorted(durations)[len(durations) // 2])
    ok, num, den = caps.get_structure(0).get_fraction("framerate")
    if ok and num > 0:
        return int(Gst.SECOND * den // num)
    return 40_000_000


def load_clip(name: str, path: Path) -> Clip:
    caps, buffers = _demux(path)
    pts = [b.pts for b in buffers if _valid(b.pts)]
    if not pts:
        raise ValueError(f"{path}: the video has no timestamps")
    dts = [b.dts for b in buffers if _valid(b.dts)]
    origin = min(pts + dts)
    period = max(pts) - min(pts) + _frame_ns(caps, buffers)
    return Clip(name=name, caps=caps, buffers=tuple(buffers), origin_ns=origin, period_ns=period)


class Feeder:
    """Feeds one client's appsrc from the clip's start, looping, timestamps always increasing."""

    def __init__(self, clip: Clip) -> None:
        self._clip = clip
        self._next = 0
        self._loop = 0

    def on_need_data(self, appsrc: Any, _length: int) -> None:
        clip = self._clip
        if self._next == len(clip.buffers):
            self._next, self._loop = 0, self._loop + 1
        source = clip.buffers[self._next]
        self._next += 1
        offset = self._loop * clip.period_ns - clip.origin_ns
        # A new buffer sharing the (read-only) memory: the stored one is never modified.
        # (Gst.Buffer.copy() in Python only adds a reference to the same buffer.)
        buffer = source.copy_region(_COPY_FLAGS, 0, source.get_size())
        buffer.pts = source.pts + offset if _valid(source.pts) else Gst.CLOCK_TIME_NONE
        buffer.dts = source.dts + offset if _valid(source.dts) else Gst.CLOCK_TIME_NONE
        appsrc.emit("push-buffer", buffer)


class ClipFactory(GstRtspServer.RTSPMediaFactory):  # type: ignore[misc]
    """One mount: a fresh pipeline and feeder per client (not shared)."""

    def __init__(self, clip: Clip) -> None:
        super().__init__()
        self._clip = clip
        self.set_launch(_PIPELINE)
        self.set_shared(False)
        self.connect("media-configure", self._on_media_configure)

    def _on_media_configure(self, _factory: Any, media: Any) -> None:
        print(f"SESSION name={self._clip.name}", flush=True)
        appsrc = media.get_element().get_by_name_recurse_up("src")
        appsrc.set_property("caps", self._clip.caps)
        appsrc.connect("need-data", Feeder(self._clip).on_need_data)


def _auth(credentials: str) -> tuple[Any, Any]:
    user, sep, password = credentials.partition(":")
    if not sep or not user:
        raise ValueError("--auth must be user:password")
    auth = GstRtspServer.RTSPAuth()
    token = GstRtspServer.RTSPToken()
    token.set_string("media.factory.role", "user")
    auth.add_basic(GstRtspServer.RTSPAuth.make_basic(user, password), token)
    permissions = GstRtspServer.RTSPPermissions()
    permissions.add_permission_for_role("user", "media.factory.access", True)
    permissions.add_permission_for_role("user", "media.factory.construct", True)
    return auth, permissions


def _parse_clip(value: str) -> tuple[str, Path]:
    name, sep, path = value.partition("=")
    if not sep or not _NAME.match(name):
        raise argparse.ArgumentTypeError(f"expected NAME=PATH with NAME in [A-Za-z0-9_.-], got {value!r}")
    if not Path(path).is_file():
        raise argparse.ArgumentTypeError(f"clip file not found: {path}")
    return name, Path(path)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Serve looping H.264 MP4 clips over RTSP.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8554, help="TCP port (0: any free port)")
    parser.add_argument("--clip", type=_parse_clip, action="append", required=True,
                        metavar="NAME=PATH", help="serve PATH at rtsp://HOST:PORT/NAME")
    parser.add_argument("--auth", metavar="USER:PASSWORD", default=os.environ.get(AUTH_ENV),
                        help=f"require RTSP basic auth (default: ${AUTH_ENV}, kept off the "
                        "command line)")
    parser.add_argument("--exit-on-stdin-eof", action="store_true",
                        help="quit when stdin closes (the parent process went away)")
    return parser.parse_args(argv)


def build_server(args: argparse.Namespace) -> Any:
    server = GstRtspServer.RTSPServer()
    server.set_address(args.host)
    server.set_service(str(args.port))
    permissions = None
    if args.auth:
        auth, permissions = _auth(args.auth)
        server.set_auth(auth)
    server.connect("client-connected", _on_client_connected)
    mounts = server.get_mount_points()
    for name, path in args.clip:
        factory = ClipFactory(load_clip(name, path))
        if permissions is not None:
            factory.set_permissions(permissions)
        mounts.add_factory(f"/{name}", factory)
    return server


def main(argv: list[str] | None = None) -> int:
    Gst.init(None)
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        server = build_server(args)
    except ValueError as exc:
        print(f"rtsp_server: {exc}", file=sys.stderr, flush=True)
        return 2
    if server.attach(None) == 0:
        print(f"rtsp_server: cannot listen on {args.host}:{args.port}", file=sys.stderr, flush=True)
        return 3
    loop = GLib.MainLoop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_HIGH, signum, _quit, loop)
    if args.exit_on_stdin_eof:
        GLib.io_add_watch(GLib.IOChannel.unix_new(sys.stdin.fileno()), GLib.PRIORITY_DEFAULT,
                          GLib.IOCondition.IN | GLib.IOCondition.HUP, _on_stdin, loop)
    port = server.get_bound_port()
    names = ",".join(name for name, _ in args.clip)
    print(f"READY port={port} host={args.host} clips={names}", flush=True)
    loop.run()
    print("rtsp_server: stopped", flush=True)
    return 0


def _on_client_connected(_server: Any, client: Any) -> None:
    print("CLIENT open", flush=True)
    client.connect("closed", lambda _client: print("CLIENT closed", flush=True))


def _on_stdin(_channel: Any, _condition: Any, loop: Any) -> bool:
    """Quit at end of input; ignore anything written."""
    if os.read(sys.stdin.fileno(), 4096):
        return True
    loop.quit()
    return False


def _quit(loop: Any) -> bool:
    loop.quit()
    return GLib.SOURCE_REMOVE  # type: ignore[no-any-return]


if __name__ == "__main__":
    sys.exit(main())
