"""gridwatch.store: the durable SQL store (SQLite by default, PostgreSQL in production)."""

import logging

# Alembic logs one INFO line per plugin when it is imported; our own migrate log says what ran.
logging.getLogger("alembic").setLevel(logging.WARNING)
