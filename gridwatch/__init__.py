"""gridwatch: city CCTV to case-ready city-management alerts."""

__version__ = "0.1.0"
