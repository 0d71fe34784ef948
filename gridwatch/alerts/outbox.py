"""Durable outbox: alerts wait here (SQLite) until the dispatch queue has taken them.

Nothing is lost when Redis is down or the process restarts; delivery resumes in raise order.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from gridwatch.alerts.record import Alert

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    alert_id TEXT NOT NULL UNIQUE,
    payload TEXT NOT NULL,
    created REAL NOT NULL
)
"""

_MAX_PARAMS = 500  # bound parameters per DELETE (SQLite's limit is 999 on old builds)


class Outbox:
    """An ordered, idempotent queue of alerts on disk."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(_SCHEMA)

    def put(self, alert: Alert) -> bool:
        """Keep ``alert`` until delivered; False when it is already waiting."""
        with self._lock:
            cur = self._db.execute(
                "INSERT OR IGNORE INTO outbox (alert_id, payload, created) VALUES (?, ?, ?)",
                (alert.alert_id, alert.to_json(), time.time()),
            )
            return cur.rowcount == 1

    def pending(self, limit: int = 100) -> list[tuple[int, Alert]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT seq, payload FROM outbox ORDER BY seq LIMIT ?", (limit,)
            ).fetchall()
        return [(seq, Alert.model_validate_json(payload)) for seq, payload in rows]

    def remove(self, seq: int) -> None:
        with self._lock:
            self._db.execute("DELETE FROM outbox WHERE seq = ?", (seq,))

    def remove_many(self, seqs: list[int]) -> None:
        """Forget delivered alerts, in one statement."""
        for start in range(0, len(seqs), _MAX_PARAMS):
            chunk = seqs[start:start + _MAX_PARAMS]
            marks = ", ".join("?" * len(chunk))
            with self._lock:
                self._db.execute(f"DELETE FROM outbox WHERE seq IN ({marks})", chunk)

    def __len__(self) -> int:
        with self._lock:
            (count,) = self._db.execute("SELECT COUNT(*) FROM outbox").fetchone()
        return int(count)

    def close(self) -> None:
        with self._lock:
            self._db.close()
