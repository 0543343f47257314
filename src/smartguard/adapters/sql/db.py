"""A thin layer over a DB-API connection: one placeholder style (``?``) in our SQL, and
driver errors turned into SmartGuard's own at this border.

On PostgreSQL every statement is a round trip to the server, and a batch of the writer's
authorizations used to send about five each. Writes whose result nobody reads (a decision
recorded, counters moved, an outbox row, the ``BEGIN`` itself) are therefore **deferred**
(:meth:`Db.defer`): kept in order and sent, grouped by statement, in one pipeline together
with the next statement that must be answered (a read, a write whose result is used, a
savepoint, the ``COMMIT``). Nothing is reordered across an answered statement, so every read
sees every earlier write, as before; a deferred write that the server refuses is reported
by the statement it travelled with (the batch runner treats that as a job that failed after
writing: see batch_runner.py). On SQLite, where a statement is a function call, deferring is
executing at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from smartguard.errors import Conflict, StoreConflict, StoreDisconnected, StoreUnavailable

Row = tuple[Any, ...]


class Db:
    """Runs SQL written with ``?`` placeholders on ``conn`` (sqlite3 or psycopg)."""

    def __init__(
        self,
        conn: Any,
        *,
        placeholder: str = "?",
        errors: tuple[type[Exception], ...] = (),
        integrity: tuple[type[Exception], ...] = (),
        conflicts: tuple[type[Exception], ...] = (),
        for_update: str = "",
        broken: Callable[[], bool] = lambda: False,
    ) -> None:
        self.conn = conn
        #: appended to a SELECT that must lock its rows until the transaction ends; empty
        #: for SQLite, where ``BEGIN IMMEDIATE`` already serialises every writer
        self.for_update = for_update
        #: the same for the card query (cards joined with holders and accounts): locks the
        #: card and its account, not the holder (whom two cards may share)
        self.lock_card = " FOR UPDATE OF c, a" if for_update else ""
        self.broken = broken  # has the connection been lost (a failover)?
        self._pg = placeholder != "?"
        self._errors = errors
        self._integrity = integrity
        self._conflicts = conflicts  # transient: the writer runs its batch again
        self._sql: dict[str, str] = {}
        #: statements that wrote or failed (PostgreSQL, where a failed statement aborts
        #: the transaction); SQLite counts rows written itself (``total_changes``)
        self._changed = 0
        #: the repositories of this connection and the cache they use (uow.py)
        self.repositories: tuple[Any, dict[str, Any]] | None = None
        #: deferred writes (PostgreSQL): statement -> rows, in the order first deferred
        self._deferred: dict[str, list[Sequence[Any]]] = {}

    def _q(self, sql: str) -> str:
        if not self._pg:
            return sql
        q = self._sql.get(sql)
        if q is None:
            q = self._sql[sql] = sql.replace("%", "%%").replace("?", "%s")
        return q

    def changes(self) -> int:
        """A number that moves whenever the connection's transaction changed: rows written
        (SQLite), or statements that wrote or failed (PostgreSQL)."""
        return self._changed if self._pg else int(self.conn.total_changes)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        if not self._pg:
            try:
                return self.conn.execute(sql, params)
            except Exception as exc:
                self._raise(exc)
        if not sql.startswith("SELECT"):
            self._changed += 1
        try:
            if self._deferred:
                return self._with_deferred(self._q(sql), params)
            return self.conn.execute(self._q(sql), params)
        except Exception as exc:
            self._changed += 1
            self._raise(exc)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self._changed += 1
        try:
            if self._deferred:
                self._with_deferred(None, ())
            self.conn.cursor().executemany(self._q(sql), rows)
        except Exception as exc:
            self._raise(exc)

    def pipeline(self, statements: Sequence[tuple[str, Sequence[Any]]]) -> list[list[Row]]:
        """Run ``statements`` in order and return each one's rows: on PostgreSQL in one
        round trip (with the deferred writes ahead of them)."""
        if not self._pg:
            return [self.all(sql, params) for sql, params in statements]
        try:
            deferred, self._deferred = self._deferred, {}
            with self.conn.pipeline():
                self._send(deferred)
                cursors = [self.conn.execute(self._q(sql), params)
                           for sql, params in statements]
            return [cur.fetchall() for cur in cursors]
        except Exception as exc:
            self._changed += 1
            self._raise(exc)

    def defer(self, sql: str, params: Sequence[Any] = ()) -> None:
        """Write without waiting for the answer (PostgreSQL): sent with the next statement
        that is answered; on SQLite, executed at once."""
        if not self._pg:
            self.execute(sql, params)
            return
        self._later(sql, (params,))

    def defer_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if not self._pg:
            self.executemany(sql, rows)
            return
        self._later(sql, rows)

    def _later(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self._changed += 1
        q = self._q(sql)
        pending = self._deferred.get(q)
        if pending is None:
            self._deferred[q] = list(rows)
        else:
            pending.extend(rows)

    def deferred_count(self) -> int:
        """Statements waiting to be sent (one per row)."""
        return sum(len(rows) for rows in self._deferred.values())

    def flush(self) -> None:
        """Send the deferred writes now (one round trip)."""
        if self._deferred:
            try:
                self._with_deferred(None, ())
            except Exception as exc:
                self._changed += 1
                self._raise(exc)

    def discard(self) -> None:
        """Forget the deferred writes (the transaction, or the savepoint they belong to,
        is being rolled back)."""
        self._deferred.clear()

    def _with_deferred(self, q: str | None, params: Sequence[Any]) -> Any:
        """One pipeline: the deferred writes, grouped by statement in the order each was
        first deferred, then ``q`` (if any), whose cursor is returned."""
        deferred, self._deferred = self._deferred, {}
        with self.conn.pipeline():
            self._send(deferred)
            return self.conn.execute(q, params) if q is not None else None

    def _send(self, deferred: dict[str, list[Sequence[Any]]]) -> None:
        for sql, rows in deferred.items():
            if len(rows) == 1:
                self.conn.execute(sql, rows[0])
            else:
                self.conn.cursor().executemany(sql, rows)

    def _raise(self, exc: Exception) -> NoReturn:
        """Raise the driver's error as SmartGuard's own (another passes unchanged)."""
        if isinstance(exc, self._integrity):
            raise Conflict(f"the store refused a duplicate: {type(exc).__name__}") from exc
        if isinstance(exc, self._conflicts):
            raise StoreConflict(f"transient conflict: {type(exc).__name__}: {exc}") from exc
        if isinstance(exc, self._errors) and self.broken():
            raise StoreDisconnected(f"connection lost: {type(exc).__name__}: {exc}") from exc
        if isinstance(exc, self._errors):
            raise StoreUnavailable(f"database error: {type(exc).__name__}: {exc}") from exc
        raise exc

    def one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        row: Row | None = self.execute(sql, params).fetchone()
        return row

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        rows: list[Row] = self.execute(sql, params).fetchall()
        return rows
