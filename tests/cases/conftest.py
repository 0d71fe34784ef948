from tests.store.dbs import db_url, pg_store_url, pg_url, store

__all__ = ["db_url", "pg_store_url", "pg_url", "store"]
