"""Users and API keys in one JSON file, passwords and keys stored only as hashes.

The file is rewritten atomically (temp file + rename, mode 0600) and re-read when it changes, so
``gridwatch users add`` takes effect in a running API. The lead may move this to the SQL store:
``UserStore`` is the seam.
"""

from __future__ import annotations

import functools
import os
import re
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from gridwatch.api.security.passwords import (
    hash_api_key,
    hash_password,
    new_api_key,
    verify_password,
)
from gridwatch.api.security.roles import Role


@functools.cache
def _dummy_hash() -> str:
    """Checked against when the user does not exist, so both cases cost the same."""
    return hash_password("gridwatch-timing-equaliser")

USER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")


class UserRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role = Field(description="The user's role.")
    password_hash: str = Field(description="scrypt hash of the password.")
    created_at: datetime = Field(description="When the user was added (UTC).")


class ApiKeyRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user: str = Field(description="User the key acts as.")
    label: str = Field("", description="What the key is for.")
    created_at: datetime = Field(description="When it was made (UTC).")


class UsersFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    users: dict[str, UserRecord] = Field(default_factory=dict, description="By user name.")
    api_keys: dict[str, ApiKeyRecord] = Field(
        default_factory=dict, description="By SHA-256 of the key."
    )


class UserStore:
    """Reads and writes the users file; every method is safe to call from any thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._data = UsersFile()
        self._stamp: tuple[int, int] | None = None

    def _load(self) -> UsersFile:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            self._data, self._stamp = UsersFile(), None
            return self._data
        stamp = (stat.st_mtime_ns, stat.st_size)
        if stamp != self._stamp:
            self._data = UsersFile.model_validate_json(self.path.read_bytes())
            self._stamp = stamp
        return self._data

    def _save(self, data: UsersFile) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".users-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(data.model_dump_json(indent=2))
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self._stamp = None

    def add_user(self, name: str, role: Role, password: str) -> None:
        if not USER_NAME.match(name):
            raise ValueError(f"user name {name!r}: letters, digits and _ . @ - only, 1-64 long")
        if len(password) < 8:
            raise ValueError("the password must be at least 8 characters long")
        with self._lock:
            data = self._load().model_copy(deep=True)
            if name in data.users:
                raise ValueError(f"user {name!r} exists already")
            data.users[name] = UserRecord(
                role=role, password_hash=hash_password(password), created_at=datetime.now(UTC)
            )
            self._save(data)

    def remove_user(self, name: str) -> None:
        with self._lock:
            data = self._load().model_copy(deep=True)
            if data.users.pop(name, None) is None:
                raise ValueError(f"no user {name!r}")
            data.api_keys = {k: v for k, v in data.api_keys.items() if v.user != name}
            self._save(data)

    def users(self) -> dict[str, UserRecord]:
        with self._lock:
            return dict(self._load().users)

    def authenticate(self, name: str, password: str) -> Role | None:
        """The user's role if the password is right, else None (same cost either way)."""
        with self._lock:
            record = self._load().users.get(name)
        if record is None:
            verify_password(password, _dummy_hash())
            return None
        return record.role if verify_password(password, record.password_hash) else None

    def add_api_key(self, user: str, label: str = "") -> str:
        """A new key for ``user``; only its hash is kept, so this is the one time it is shown."""
        key = new_api_key()
        with self._lock:
            data = self._load().model_copy(deep=True)
            if user not in data.users:
                raise ValueError(f"no user {user!r}")
            data.api_keys[hash_api_key(key)] = ApiKeyRecord(
                user=user, label=label, created_at=datetime.now(UTC)
            )
            self._save(data)
        return key

    def resolve_api_key(self, key: str) -> tuple[str, Role] | None:
        with self._lock:
            data = self._load()
            record = data.api_keys.get(hash_api_key(key))
            user = data.users.get(record.user) if record is not None else None
        if record is None or user is None:
            return None
        return record.user, user.role

