"""Authentication, roles, the audit log and request limits of the API."""
