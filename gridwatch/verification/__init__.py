"""Video verification: after a case is marked handled, the camera re-checks the place."""
