"""A thin layer over a DB-API connection: one placeholder style (``?``) in our SQL, and
driver errors turned into SmartGuard's own at this border."""

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
            return self.conn.execute(self._q(sql), params)
        except Exception as exc:
            self._changed += 1
            self._raise(exc)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self._changed += 1
        try:
            self.conn.cursor().executemany(self._q(sql), rows)
        except Exception as exc:
            self._raise(exc)

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
