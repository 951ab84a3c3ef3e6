"""``make bench``: run the benchmarks on SQLite and, when reachable, PostgreSQL; print one table per backend.

Each backend runs in its own process (settings are read from the environment at start-up) against a
throwaway database: var/bench.sqlite3, and the PostgreSQL database named by BENCH_PG_URL
(default postgresql://postgres@127.0.0.1:5432/tincay_bench, created and dropped here). ``BENCH_KEEP=1`` keeps
both databases, so that ``python -m bench.results`` can measure the results pages again without regenerating.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/tincay_bench")


def _pg_available(url: str) -> bool:
    try:
        import psycopg

        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, connect_timeout=3, autocommit=True) as conn:
            name = url.rsplit("/", 1)[1]
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return True
    except Exception as exc:
        print(f"PostgreSQL skipped: {exc}")
        return False


def _drop_pg(url: str) -> None:
    import psycopg

    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def main() -> int:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    sqlite_path = ROOT / "var" / "bench.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
    runs = [("SQLite", {**env, "DATABASE_URL": f"sqlite:///{sqlite_path}"})]
    if _pg_available(PG_URL):
        runs.append(("PostgreSQL", {**env, "DATABASE_URL": PG_URL}))
    status = 0
    for label, run_env in runs:
        print(f"\n== {label}", flush=True)
        command = [sys.executable, "-m", "bench.run", *sys.argv[1:]]
        result = subprocess.run(command, env=run_env, cwd=ROOT, check=False)  # noqa: S603 - our own module
        status = status or result.returncode
    if len(runs) > 1 and os.environ.get("BENCH_KEEP") != "1":
        _drop_pg(PG_URL)
    return status


if __name__ == "__main__":
    sys.exit(main())
