"""A throwaway PostgreSQL server for tests and benchmarks: initdb into a temp folder, start it on a
private port (127.0.0.1 only) and socket folder, hand out fresh databases, stop it and delete it all.

Own code rather than pytest-postgresql's process fixture: about 100 lines on the system's server
binaries, no further dependency (pytest-postgresql brings mirakuru and port-for), and it does what these
tests need and that plugin does not do for us: run as root in CI (initdb refuses root, so the server runs
as the ``postgres`` system user), start with ``fsync`` off for the test tier but with the defaults for
benchmarks, and be shared with ``benchmarks/``.

:func:`find_bin_dir` looks in ``$PG_BIN_DIR``, then ``/usr/lib/postgresql/<newest>/bin``, then ``PATH``.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

#: How to get the binaries, for the one loud line printed when they are missing.
INSTALL_HINT = (
    "PostgreSQL server binaries (initdb, pg_ctl) not found: the PostgreSQL tier is SKIPPED. "
    "Install them with `sudo apt-get install postgresql` (Debian/Ubuntu) or `brew install postgresql` "
    "(macOS), or point PG_BIN_DIR at the folder holding initdb."
)


def find_bin_dir() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``, or None when PostgreSQL is not installed."""
    given = os.environ.get("PG_BIN_DIR")
    if given:
        return Path(given) if (Path(given) / "initdb").exists() else None
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                      key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    if versions:
        return versions[-1].parent
    found = shutil.which("initdb")
    return Path(found).parent if found and shutil.which("pg_ctl") else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PgServer:
    """One running throwaway server. ``url(db)`` gives a connection URL; ``new_database()`` a fresh,
    empty database. Use as a context manager, or call :meth:`start` and :meth:`stop`."""

    def __init__(self, bin_dir: Path, *, durable: bool = False) -> None:
        """Prepare (not start) a server from ``bin_dir``; ``durable`` keeps fsync on (benchmarks)."""
        self.bin_dir = bin_dir
        self.durable = durable
        self.root = Path(tempfile.mkdtemp(prefix="roleplay-pg-"))
        self.data = self.root / "data"
        self.socket_dir = self.root / "sock"
        self.port = _free_port()
        self.user = "roleplay_test"
        self.password = "test-secret-" + uuid.uuid4().hex[:8]
        # initdb and postgres refuse to run as root: in CI (root) they run as the postgres system user.
        self._as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *args: str) -> None:
        # cwd: the server's own folder, which the postgres user can enter (a CI checkout under /root is not).
        result = subprocess.run([*self._as_user, *args], capture_output=True, text=True, timeout=120, cwd=self.root)
        if result.returncode:
            raise RuntimeError(f"{Path(args[0]).name} failed: {result.stderr.strip() or result.stdout.strip()}")

    def start(self) -> PgServer:
        """initdb, configure and start the server; waits until it accepts connections."""
        self.socket_dir.mkdir()
        pwfile = self.root / "pw"
        pwfile.write_text(self.password + "\n")
        if self._as_user:
            owner = pwd.getpwnam("postgres")
            for path in (self.root, self.socket_dir, pwfile):
                os.chown(path, owner.pw_uid, owner.pw_gid)
        self._run(str(self.bin_dir / "initdb"), "-D", str(self.data), "-U", self.user, "--pwfile", str(pwfile),
                  "-A", "scram-sha-256", "-E", "UTF8", "--locale", "C", "--no-sync")
        pwfile.unlink()
        settings = {
            "listen_addresses": "'127.0.0.1'", "port": str(self.port),
            "unix_socket_directories": f"'{self.socket_dir}'", "max_connections": "200",
            "shared_buffers": "64MB", "log_min_messages": "warning",
        }
        if not self.durable:  # a throwaway test server: nothing to keep through a power cut
            settings.update(fsync="off", synchronous_commit="off", full_page_writes="off")
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.writelines(f"{key} = {value}\n" for key, value in settings.items())
        for attempt in range(3):  # another process (an xdist worker) may have taken the free port meanwhile
            try:
                self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "server.log"),
                          "-w", "-t", "60", "start")
                self._start_reaper()
                return self
            except RuntimeError:
                if attempt == 2:
                    raise
                self.port = _free_port()
                with (self.data / "postgresql.conf").open("a") as conf:
                    conf.write(f"port = {self.port}\n")  # the last setting wins
        return self

    def _start_reaper(self) -> None:
        """A small watcher process that stops the server and deletes its folder if this process dies
        without doing so (a test run killed by ``timeout`` or Ctrl-C twice): no server outlives its run."""
        stop = [*self._as_user, str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"]
        code = (
            "import os, shutil, subprocess, sys, time\n"
            "parent, root, stop = int(sys.argv[1]), sys.argv[2], sys.argv[3:]\n"
            "while os.path.isdir(root):\n"
            "    try:\n"
            "        os.kill(parent, 0)\n"
            "    except ProcessLookupError:\n"
            "        subprocess.run(stop, capture_output=True, cwd=root)\n"
            "        shutil.rmtree(root, ignore_errors=True)\n"
            "        break\n"
            "    time.sleep(1)\n"
        )
        subprocess.Popen([sys.executable, "-c", code, str(os.getpid()), str(self.root), *stop],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True, cwd=self.root)

    def stop(self) -> None:
        """Stop the server (immediate shutdown: nothing in it is kept) and delete its folder."""
        try:
            if (self.data / "postmaster.pid").exists():
                self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def halt(self) -> None:
        """Stop the server but keep its files (a server going away mid-session); :meth:`resume` restarts it."""
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def resume(self) -> None:
        """Start a halted server again on the same port."""
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "server.log"),
                  "-w", "-t", "60", "start")

    def __enter__(self) -> PgServer:
        """Start on entering."""
        return self.start()

    def __exit__(self, *exc: object) -> None:
        """Stop and clean up on leaving."""
        self.stop()

    def url(self, database: str = "postgres", *, password: bool = True) -> str:
        """A ``postgresql://`` URL for ``database`` on this server (TCP on 127.0.0.1)."""
        secret = f":{self.password}" if password else ""
        return f"postgresql://{self.user}{secret}@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str) -> None:
        """Run one statement as the superuser in the ``postgres`` database (autocommit)."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]  # test-owned SQL, never user input

    def new_database(self, prefix: str = "t") -> str:
        """Create an empty database with a fresh name; returns its URL."""
        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        self.admin(f'CREATE DATABASE "{name}"')
        return self.url(name)
