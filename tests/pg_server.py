"""A private PostgreSQL server on a free loopback port, in a temporary folder (the hub tests
and benchmarks/hub_ingest.py). Debian's ``postgresql`` package provides the programs; as root
they run as the ``postgres`` user (initdb refuses root)."""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@contextlib.contextmanager
def private_server(*, durable: bool = False, password: str | None = None) -> Iterator[Callable[[], str]]:
    """Start a server; yield a function that creates a new empty database and returns its URL.
    ``durable=False`` turns fsync off (tests); the benchmark keeps the defaults. ``password``: the
    server asks every connection for it (scram-sha-256), and the URLs do not carry it."""
    import psycopg

    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    if not bins:
        raise RuntimeError("PostgreSQL server programs are missing: scripts/setup.sh installs Debian's postgresql")
    pg_bin = bins[-1]
    # not under pytest's temporary folder: that one is private to root
    root = Path(tempfile.mkdtemp(prefix="checkpoint-hub-"))
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1"
    if not durable:
        options += " -c fsync=off -c full_page_writes=off -c synchronous_commit=off"
    auth = ["--auth=trust"]
    if password is not None:
        pwfile = root / "pwfile"
        pwfile.write_text(password + "\n", encoding="utf-8")
        if os.geteuid() == 0:
            shutil.chown(pwfile, "postgres")
        auth = ["--auth=scram-sha-256", f"--pwfile={pwfile}"]
    try:
        subprocess.run(_as_postgres([str(pg_bin / "initdb"), "-D", str(data), "-U", "hub", *auth,
                                     "-E", "UTF8", "--no-sync"]), check=True, capture_output=True)
        subprocess.run(_as_postgres([str(pg_bin / "pg_ctl"), "-D", str(data), "-w", "-l", str(root / "log"),
                                     "-o", options, "start"]), check=True, capture_output=True)
        counter = itertools.count()
        base = f"postgresql://hub@127.0.0.1:{port}"

        def new_database() -> str:
            name = f"hub{next(counter)}"
            with psycopg.connect(f"{base}/postgres", autocommit=True, password=password) as c:
                c.execute(f"CREATE DATABASE {name}")
            return f"{base}/{name}"

        yield new_database
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(_as_postgres([str(pg_bin / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                           capture_output=True)
        shutil.rmtree(root, ignore_errors=True)
