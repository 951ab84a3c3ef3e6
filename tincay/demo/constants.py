"""Shared demo values."""

DEMO_PASSWORD = "TinCay@2026"  # noqa: S105 - demo accounts only; seed_demo refuses to run in production
