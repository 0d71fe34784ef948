"""Services gridwatch talks to or starts: Redis."""
