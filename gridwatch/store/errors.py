"""Errors of the store and the lifecycle: each says what went wrong and where."""

from __future__ import annotations


class StoreError(Exception):
    """Base of every store error."""


class StoreUnavailable(StoreError):
    """The database cannot be reached or used right now; retry later, lose nothing.

    The message names the database by its redacted URL (never the password).
    """

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"store unavailable at {url}: {reason}")


class NotFound(StoreError, LookupError):
    """No alert or case with that id."""

    def __init__(self, kind: str, entity_id: str) -> None:
        self.kind = kind
        self.entity_id = entity_id
        super().__init__(f"no {kind} with id {entity_id!r}")


class IllegalTransition(StoreError, ValueError):
    """The lifecycle does not allow going from one status to another."""

    def __init__(self, entity_id: str, from_status: str, to_status: str, allowed: list[str]) -> None:
        self.entity_id = entity_id
        self.from_status = from_status = str(from_status)
        self.to_status = to_status = str(to_status)
        options = ", ".join(map(str, allowed)) or "none (final status)"
        super().__init__(
            f"alert {entity_id}: cannot go from {from_status!r} to {to_status!r} "
            f"(allowed from {from_status!r}: {options})"
        )


class ConflictError(StoreError):
    """Someone else changed the alert first (or it is already in the asked status)."""

    def __init__(self, entity_id: str, message: str) -> None:
        self.entity_id = entity_id
        super().__init__(f"alert {entity_id}: {message}")
