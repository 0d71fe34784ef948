"""Run ClusterMembers as real processes and rebuild who owned which camera when."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class MemberProcess:
    member_id: str
    proc: subprocess.Popen[bytes]
    log: Path
    killed_at: float | None = None

    def events(self) -> list[tuple[str, str, float]]:
        out = []
        for line in self.log.read_text().splitlines():
            parts = line.split()
            if len(parts) == 3:
                out.append((parts[0], parts[1], float(parts[2])))
        return out

    def owned(self) -> set[str]:
        held: set[str] = set()
        if self.killed_at is not None:
            return held
        for kind, cam, _ in self.events():
            (held.add if kind == "A" else held.discard)(cam)
        return held

    def intervals(self, end: float) -> dict[str, list[tuple[float, float]]]:
        stop = self.killed_at if self.killed_at is not None else end
        spans: dict[str, list[tuple[float, float]]] = {}
        opened: dict[str, float] = {}
        for kind, cam, t in self.events():
            if kind == "A":
                opened[cam] = t
            elif cam in opened:
                spans.setdefault(cam, []).append((opened.pop(cam), t))
        for cam, t in opened.items():
            spans.setdefault(cam, []).append((t, stop))
        return spans

    def kill(self) -> None:
        self.killed_at = time.monotonic()
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


@dataclass
class Fleet:
    url: str
    prefix: str
    cameras: int
    lease_ms: int
    folder: Path
    members: list[MemberProcess] = field(default_factory=list)

    def spawn(self, member_id: str) -> MemberProcess:
        log = self.folder / f"{member_id}.log"
        handle = log.open("wb")
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        proc = subprocess.Popen(
            [sys.executable, "-m", "gridwatch.cluster.probe", self.url, self.prefix, member_id,
             str(self.cameras), str(self.lease_ms)],
            stdin=subprocess.PIPE, stdout=handle, stderr=subprocess.DEVNULL, env=env, cwd=ROOT,
        )
        handle.close()
        member = MemberProcess(member_id, proc, log)
        self.members.append(member)
        return member

    def live(self) -> list[MemberProcess]:
        return [m for m in self.members if m.killed_at is None and m.proc.poll() is None]

    def ownership(self) -> dict[str, str]:
        """camera → member, from the live members' own views."""
        out: dict[str, str] = {}
        for member in self.live():
            for cam in member.owned():
                out[cam] = member.member_id
        return out

    def wait_full(self, timeout_s: float, expect: set[str] | None = None) -> float:
        """Seconds until every camera is owned (by the ``expect`` members only, if given)."""
        start = time.monotonic()
        while time.monotonic() - start < timeout_s:
            own = self.ownership()
            owners = {m.member_id for m in self.live()} if expect is None else expect
            if len(own) == self.cameras and set(own.values()) <= owners and \
                    len(set(own.values())) == len(owners):
                return time.monotonic() - start
            time.sleep(0.05)
        raise AssertionError(f"not fully assigned in {timeout_s} s: {len(self.ownership())} owned")

    def max_overlap(self) -> float:
        """Longest time any camera was held by two members at once (seconds)."""
        end = time.monotonic()
        spans: dict[str, list[tuple[float, float, str]]] = {}
        for member in self.members:
            for cam, items in member.intervals(end).items():
                spans.setdefault(cam, []).extend((a, b, member.member_id) for a, b in items)
        worst = 0.0
        for held in spans.values():
            for i, (a0, b0, m0) in enumerate(held):
                for a1, b1, m1 in held[i + 1:]:
                    if m0 != m1:
                        worst = max(worst, min(b0, b1) - max(a0, a1))
        return worst

    def close(self) -> None:
        for member in self.members:
            member.stop()
