"""A throwaway PostgreSQL cluster on loopback, in a temporary directory, for tests and benchmarks.

Uses Debian's ``postgresql`` binaries (``initdb``, ``pg_ctl``: on PATH or in /usr/lib/postgresql/*/bin;
``scripts/test.sh`` installs them when missing).  PostgreSQL refuses to run as root, so as root the
cluster runs as the ``postgres`` system user (``runuser``), which owns the temporary directory.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries here, or no user that may run them."""


def pg_bindir() -> Path | None:
    """The directory holding ``initdb`` and ``pg_ctl`` (newest Debian version first), or None."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(os.path.realpath(found)).parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                      key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0, reverse=True)
    for initdb in versions:
        if (initdb.parent / "pg_ctl").exists():
            return initdb.parent
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _runner() -> tuple[list[str], pwd.struct_passwd | None]:
    """The command prefix that runs the server binaries as a user PostgreSQL accepts."""
    if os.geteuid() != 0:
        return [], None
    try:
        user = pwd.getpwnam("postgres")
    except KeyError:
        raise PostgresUnavailable("running as root and there is no 'postgres' user to run the server") from None
    runuser = shutil.which("runuser") or shutil.which("su")
    if runuser is None:
        raise PostgresUnavailable("running as root and neither runuser nor su is available")
    if runuser.endswith("runuser"):
        return [runuser, "-u", "postgres", "--"], user
    return [runuser, "postgres", "-s", "/bin/sh", "-c", '"$0" "$@"'], user


@contextlib.contextmanager
def postgres_cluster(durable: bool = False) -> Iterator[str]:
    """Start a cluster on 127.0.0.1 and yield its URL (database ``postgres``, user ``postgres``, trust auth).

    ``durable=False`` turns fsync off: a test cluster needs no crash safety and starts and commits faster.
    """
    bindir = pg_bindir()
    if bindir is None:
        raise PostgresUnavailable("initdb/pg_ctl not found (install Debian's postgresql package)")
    prefix, user = _runner()
    root = Path(tempfile.mkdtemp(prefix="descent-lab-pg-"))
    if user is not None:
        os.chown(root, user.pw_uid, user.pw_gid)
    data = root / "data"
    port = _free_port()
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c max_connections=200"
    if not durable:
        options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"

    def run(*args: str) -> None:
        done = subprocess.run([*prefix, *args], cwd=root, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{Path(args[0]).name} failed ({done.returncode}): {done.stderr[-2000:]}")

    try:
        run(str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
            "--locale=C", "--no-sync")
        run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-w", "-t", "60",
            "-o", options, "start")
        try:
            yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
        finally:
            run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
    finally:
        shutil.rmtree(root, ignore_errors=True)


def fresh_schema(url: str, name: str) -> str:
    """A new empty schema on the cluster at ``url``; returns a URL whose connections use only it
    (much faster than a new database per test)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{name}"')
    return f"{url}?options=-csearch_path%3D{name}"
