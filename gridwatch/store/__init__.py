"""gridwatch.store: the durable SQL store (SQLite by default, PostgreSQL in production)."""
