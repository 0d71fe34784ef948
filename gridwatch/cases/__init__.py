"""gridwatch.cases: the alert → case lifecycle on top of the SQL store, and its statistics."""
