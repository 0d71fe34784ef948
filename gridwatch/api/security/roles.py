"""Roles, ordered: each role may do everything the ones below it may."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """viewer < operator < supervisor < admin."""

    VIEWER = "viewer"
    OPERATOR = "operator"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return _ORDER.index(self)

    def allows(self, needed: Role) -> bool:
        """Whether this role may do what ``needed`` may."""
        return self.rank >= needed.rank


_ORDER = (Role.VIEWER, Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN)
