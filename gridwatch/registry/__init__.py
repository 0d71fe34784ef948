"""Camera registry: thousands of cameras imported from CSV into SQL (SQLAlchemy 2)."""
