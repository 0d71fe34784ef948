"""One stream entry as a consumer sees it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def text(value: object) -> str:
    """A Redis reply value as text; bytes must be UTF-8 (strict: bad bytes are an error)."""
    return value.decode() if isinstance(value, bytes) else str(value)


@dataclass(frozen=True, slots=True)
class RawEntry:
    """An entry as read: its id, its raw fields, and how often it has been delivered."""

    id: str
    fields: Mapping[Any, Any]
    deliveries: int

    def text_fields(self) -> dict[str, str]:
        """The fields decoded as UTF-8 (``UnicodeDecodeError`` for bad bytes)."""
        return {text(k): text(v) for k, v in self.fields.items()}


@dataclass(frozen=True, slots=True)
class Delivery(Generic[T]):
    """A parsed entry handed to a handler."""

    id: str
    value: T
    deliveries: int
