"""Run a blocking store call off the event loop, with its errors as HTTP answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from anyio import to_thread
from fastapi import HTTPException

from gridwatch.store.errors import ConflictError, IllegalTransition, NotFound, StoreUnavailable

T = TypeVar("T")
LIST_ERRORS: dict[int | str, dict[str, Any]] = {
    503: {"description": "The case store is unavailable."},
}
STORE_ERRORS: dict[int | str, dict[str, Any]] = {
    **LIST_ERRORS,
    404: {"description": "No such case."},
}
MOVE_ERRORS: dict[int | str, dict[str, Any]] = {
    **STORE_ERRORS,
    409: {"description": "Someone else changed it first, or its status does not allow this."},
}


def store_unavailable(exc: StoreUnavailable) -> HTTPException:
    """503 naming the kind of failure (never the URL's password, never the raw driver text)."""
    return HTTPException(503, f"case store unavailable: {exc.reason.split(':')[0]}")


async def in_store(call: Callable[..., T], *args: Any) -> T:
    """``call(*args)`` in a worker thread; NotFound → 404, conflicts → 409, bad input → 422,
    an unreachable store → 503."""
    try:
        return await to_thread.run_sync(call, *args)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from None
    except (ConflictError, IllegalTransition) as exc:
        raise HTTPException(409, str(exc)) from None
    except StoreUnavailable as exc:
        raise store_unavailable(exc) from None
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None
