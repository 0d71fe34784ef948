"""A case service that records K alerts, then hangs before acknowledging them (the test
SIGKILLs it): its entries are handled in the store but still pending in the group.

Run: python -m tests.cases.victim_case_service REDIS_URL PREFIX DB_URL DATA_DIR K MARKER
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from gridwatch.queue.entry import Delivery
from gridwatch.store.store import open_store
from tests.cases.service_site import case_process, site_for

TRUSTED = {"auto_confirm": ["manhole_missing"], "auto_dispatch": True}


def main(url: str, prefix: str, db_url: str, data_dir: str, k: str, marker: str) -> None:
    site = site_for(prefix, Path(data_dir), url, cases=TRUSTED, enabled=False)
    process, _ = case_process(site, open_store(url=db_url), consumer="victim")
    handle = process.alerts.handle
    handled = 0

    def record_then_hang(delivery: Delivery[dict[str, str]]) -> None:
        nonlocal handled
        handle(delivery)
        handled += 1
        if handled == int(k):
            Path(marker).write_text(str(handled))
            time.sleep(3600)  # killed here: handled, never acknowledged

    process.alerts.handle = record_then_hang
    process.alerts.run()


if __name__ == "__main__":
    main(*sys.argv[1:7])
