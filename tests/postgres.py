"""A throwaway PostgreSQL server for the tests: Debian's binaries, a cluster in a temporary
folder, listening on 127.0.0.1 only, stopped at the end of the session."""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

from sqlalchemy import URL, create_engine, text

READER = "dashboard_reader"  # the read-only role the dashboard connects as


def _binaries() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise RuntimeError(
            "PostgreSQL is needed for these tests and is not installed: bin/test installs "
            "Debian's postgresql when run as root (apt-get install -y postgresql)."
        )
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresServer:
    def __init__(self):
        self.bin = _binaries()
        # Its own folder under /tmp: pytest's temporary root is private to root, and the
        # postgres user that runs the cluster must reach it.
        self.folder = folder = Path(tempfile.mkdtemp(prefix="fbs-postgres-"))
        self.data = folder / "data"
        self.port = _free_port()
        self._names = itertools.count(1)
        as_postgres = self._as_postgres()
        if as_postgres:
            shutil.chown(folder, "postgres", "postgres")
        self._run(
            as_postgres,
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        self._run(
            as_postgres,
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(folder / "server.log"),
            "-w",
            "-o",
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {folder} -c fsync=off",
            "start",
        )
        self.admin = create_engine(self.url("postgres", "postgres"), isolation_level="AUTOCOMMIT")
        with self.admin.connect() as conn:
            conn.execute(text(f"CREATE ROLE {READER} LOGIN"))

    @staticmethod
    def _as_postgres() -> list[str]:
        # initdb refuses to run as root; Debian's postgres user runs the cluster instead.
        return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, prefix: list[str], program: str, *args: str) -> None:
        done = subprocess.run(
            [*prefix, str(self.bin / program), *args], capture_output=True, text=True, cwd=self.folder
        )
        if done.returncode != 0:
            raise RuntimeError(f"{program} failed: {done.stderr.strip() or done.stdout.strip()}")

    def url(self, database: str, user: str) -> str:
        return URL.create(
            "postgresql+psycopg", username=user, host="127.0.0.1", port=self.port, database=database
        ).render_as_string(hide_password=False)

    def new_database(self) -> tuple[str, str]:
        """A fresh, empty database: (owner's URL for loading, read-only role's URL for reading)."""
        name = f"cases_{next(self._names)}"
        with self.admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name}"))
        return self.url(name, "postgres"), self.url(name, READER)

    def grant_reading(self, owner_url: str) -> None:
        """Let the read-only role read (and only read) every table loaded so far."""
        engine = create_engine(owner_url)
        with engine.begin() as conn:
            database = conn.execute(text("SELECT current_database()")).scalar()
            conn.execute(text(f"GRANT CONNECT ON DATABASE {database} TO {READER}"))
            conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {READER}"))
            conn.execute(text(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {READER}"))
        engine.dispose()

    def stop(self) -> None:
        self.admin.dispose()
        self._run(self._as_postgres(), "pg_ctl", "-D", str(self.data), "-m", "fast", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)
