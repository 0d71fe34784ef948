"""Redis stream entry ids as cursors: parsed, range-checked, turned into exclusive bounds."""

from __future__ import annotations

_MAX = 2**64 - 1


def parse_entry_id(text: str) -> tuple[int, int]:
    """``ms-seq`` as two ints; ValueError (saying why) for anything Redis would refuse."""
    ms, sep, seq = text.partition("-")
    if not sep or not ms.isdigit() or not seq.isdigit():
        raise ValueError(f"{text[:40]!r} is not a stream entry id (MS-SEQ)")
    parsed = int(ms), int(seq)
    if max(parsed) > _MAX:
        raise ValueError(f"{text[:40]!r} is out of range for a stream entry id")
    return parsed


def older_than(text: str) -> str | None:
    """The XREVRANGE ``max`` for entries strictly older than ``text``; None: there are none."""
    ms, seq = parse_entry_id(text)
    return None if (ms, seq) == (0, 0) else f"({ms}-{seq}"
