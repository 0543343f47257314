"""A SmartGuard cluster for tests: several ``smartguard serve`` nodes on one PostgreSQL
database, a private primary with a synchronous standby, and an asyncio ISO 8583 client
that keeps many requests in flight and can send the same request to several nodes."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from smartguard.adapters.iso8583 import codec

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(port: int, proc: subprocess.Popen[bytes] | None = None, seconds: float = 60
              ) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if proc is not None and proc.poll() is not None:
                raise RuntimeError(f"the process exited with {proc.returncode}") from None
            if time.monotonic() > deadline:
                raise TimeoutError(f"nothing listens on {port}") from None
            time.sleep(0.05)


@dataclass
class Node:
    """One ``smartguard serve`` process with its own HTTP and ISO 8583 ports."""

    name: str
    config: Path
    http: int = field(default_factory=free_port)
    iso: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None

    def start(self, log: Path) -> Node:
        out = log.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "smartguard.entrypoints.cli", "serve", "--config",
             str(self.config), "--port", str(self.http), "--iso-port", str(self.iso),
             "--log-level", os.environ.get("SG_NODE_LOG", "warning")],  # info: to debug
            stdout=out, stderr=subprocess.STDOUT)
        wait_port(self.iso, self.proc)
        wait_port(self.http, self.proc)
        return self

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()


def node_config(path: Path, database_url: str, secret_file: Path) -> Path:
    path.write_text(
        f'database_url = "{database_url}"\nsecret_file = "{secret_file}"\n'
        f'data_dir = "{path.parent}"\n[notifier]\nenabled = false\n', encoding="utf-8")
    return path


# -- a private PostgreSQL primary and synchronous standby --------------------------------

def pg_binaries_missing() -> str | None:
    if not (PG_BIN / "initdb").exists() or not (PG_BIN / "pg_basebackup").exists():
        return f"PostgreSQL's server binaries are not in {PG_BIN} (Debian: postgresql-15)"
    return None


def _as_postgres(cmd: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root: run them as the postgres user."""
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def _run(cmd: list[str]) -> None:
    subprocess.run(_as_postgres(cmd), check=True, capture_output=True, timeout=120)


class PgPair:
    """A primary (``primary``) streaming to a synchronous standby (``standby``), each on
    a spare port, in a folder of their own (outside pytest's, which only root may enter)."""

    def __init__(self) -> None:
        self.root = root = Path(tempfile.mkdtemp(prefix="sg-pg-"))
        if os.geteuid() == 0:
            shutil.chown(root, "postgres", "postgres")
        self.primary, self.standby = root / "primary", root / "standby"
        self.ports = {"primary": free_port(), "standby": free_port()}

    @property
    def url(self) -> str:
        """Both hosts: libpq takes the one that accepts writes (``target_session_attrs``)."""
        p, s = self.ports["primary"], self.ports["standby"]
        return f"postgresql://postgres@127.0.0.1:{p},127.0.0.1:{s}/postgres"

    def start(self) -> PgPair:
        _run([str(PG_BIN / "initdb"), "-D", str(self.primary), "-U", "postgres",
              "--auth=trust", "--no-sync"])
        self._configure(self.primary, self.ports["primary"],
                        "synchronous_standby_names = 'standby1'\n")
        self._pg_ctl(self.primary, "start")
        _run([str(PG_BIN / "pg_basebackup"), "-D", str(self.standby), "-h", "127.0.0.1",
              "-p", str(self.ports["primary"]), "-U", "postgres", "-R", "-X", "stream"])
        self._configure(self.standby, self.ports["standby"],
                        f"primary_conninfo = 'host=127.0.0.1 port={self.ports['primary']} "
                        "user=postgres application_name=standby1'\n"
                        # promoted, it has no standby of its own to wait for (Patroni's
                        # non-strict synchronous mode does the same)
                        "synchronous_standby_names = ''\n")
        self._pg_ctl(self.standby, "start")
        self._wait_sync()
        return self

    def _configure(self, data: Path, port: int, extra: str) -> None:
        conf = (f"port = {port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.root}'\nwal_level = replica\n"
                "max_wal_senders = 5\nsynchronous_commit = on\nfsync = on\n"
                "shared_buffers = 32MB\n" + extra)
        with (data / "postgresql.auto.conf").open("a", encoding="utf-8") as f:
            f.write(conf)

    def _pg_ctl(self, data: Path, action: str) -> None:
        _run([str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(data / "log.txt"), "-w",
              "-t", "60", action])

    def _wait_sync(self) -> None:
        import psycopg

        deadline = time.monotonic() + 30
        url = f"postgresql://postgres@127.0.0.1:{self.ports['primary']}/postgres"
        while time.monotonic() < deadline:
            with psycopg.connect(url, autocommit=True) as conn:
                row = conn.execute("SELECT sync_state FROM pg_stat_replication "
                                   "WHERE application_name = 'standby1'").fetchone()
            if row and row[0] == "sync":
                return
            time.sleep(0.1)
        raise TimeoutError("the standby did not become synchronous")

    def kill_primary(self) -> None:
        """SIGKILL the primary's postmaster (its backends follow)."""
        pid = int((self.primary / "postmaster.pid").read_text().split()[0])
        os.kill(pid, signal.SIGKILL)

    def stop_both(self) -> None:
        """Both servers gone at once (immediate shutdown: no primary anywhere)."""
        for data in (self.primary, self.standby):
            _run([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"])

    def start_both(self) -> None:
        self._pg_ctl(self.primary, "start")
        self._pg_ctl(self.standby, "start")
        self._wait_sync()

    def promote(self) -> None:
        self._pg_ctl(self.standby, "promote")

    def stop(self) -> None:
        for data in (self.standby, self.primary):
            if (data / "postmaster.pid").exists():
                subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m",
                                             "immediate", "stop"]), capture_output=True)
        shutil.rmtree(self.root, ignore_errors=True)


# -- an asyncio ISO 8583 client -----------------------------------------------------------

class IsoConnection:
    """One connection with many requests in flight, answers matched by STAN."""

    def __init__(self) -> None:
        self._waiting: dict[str, asyncio.Future[codec.Fields]] = {}
        self._writer: asyncio.StreamWriter | None = None
        self._task: asyncio.Task[None] | None = None

    async def open(self, port: int) -> IsoConnection:
        reader, self._writer = await asyncio.open_connection("127.0.0.1", port)
        self._task = asyncio.create_task(self._read(reader))
        return self

    async def request(self, fields: codec.Fields, timeout: float = 30) -> codec.Fields:
        """The answer, or a ConnectionError/TimeoutError when none came."""
        assert self._writer is not None
        future = asyncio.get_running_loop().create_future()
        self._waiting[fields["11"]] = future
        self._writer.write(codec.encode(fields))
        try:
            return await asyncio.wait_for(future, timeout)
        finally:
            self._waiting.pop(fields["11"], None)

    async def _read(self, reader: asyncio.StreamReader) -> None:
        try:
            while True:
                size = int.from_bytes(await reader.readexactly(codec.HEADER_BYTES), "big")
                answer = codec.decode(await reader.readexactly(size))
                future = self._waiting.get(answer.get("11", ""))
                if future is not None and not future.done():
                    future.set_result(answer)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            for future in self._waiting.values():
                if not future.done():
                    future.set_exception(ConnectionError("the node closed the connection"))

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        if self._task is not None:
            self._task.cancel()


async def connections(port: int, n: int) -> list[IsoConnection]:
    return [await IsoConnection().open(port) for _ in range(n)]


def outcome(answer: codec.Fields | BaseException) -> Any:
    """What a test compares: the response code and approval code, or the error's type."""
    if isinstance(answer, BaseException):
        return type(answer).__name__
    return (answer.get("39"), answer.get("38"))
