"""Rendezvous hashing: balanced, and minimal movement when a member joins or leaves."""

from __future__ import annotations

import pytest

from gridwatch.cluster.rendezvous import assign, owner

CAMERAS = [f"cam-{i:05d}" for i in range(3600)]


@pytest.mark.parametrize("members", [2, 3, 4, 8])
def test_balanced(members: int) -> None:
    names = [f"w{i}" for i in range(members)]
    counts = {m: 0 for m in names}
    for member in assign(CAMERAS, names).values():
        counts[member] += 1
    ideal = len(CAMERAS) / members
    assert all(abs(c - ideal) < 0.15 * ideal for c in counts.values()), counts


@pytest.mark.parametrize(("before", "after"), [(1, 2), (3, 4), (4, 5), (7, 8)])
def test_join_moves_only_to_the_newcomer(before: int, after: int) -> None:
    old = assign(CAMERAS, [f"w{i}" for i in range(before)])
    new = assign(CAMERAS, [f"w{i}" for i in range(after)])
    moved = [c for c in CAMERAS if old[c] != new[c]]
    assert {new[c] for c in moved} == {f"w{i}" for i in range(before, after)}
    ideal = len(CAMERAS) * (after - before) / after
    assert abs(len(moved) - ideal) < 0.2 * ideal


@pytest.mark.parametrize(("members", "gone"), [(2, "w0"), (4, "w2"), (8, "w7")])
def test_leave_moves_only_the_leavers_cameras(members: int, gone: str) -> None:
    names = [f"w{i}" for i in range(members)]
    old = assign(CAMERAS, names)
    new = assign(CAMERAS, [n for n in names if n != gone])
    assert [c for c in CAMERAS if old[c] != new[c]] == [c for c in CAMERAS if old[c] == gone]


def test_no_members_no_owner() -> None:
    assert owner("cam", []) is None
    assert assign(CAMERAS[:3], []) == {}
