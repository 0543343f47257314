"""A thin layer over a DB-API connection: one placeholder style (``?``) in our SQL, and
driver errors turned into SmartGuard's own at this border."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from smartguard.errors import Conflict, StoreUnavailable

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
        for_update: str = "",
    ) -> None:
        self.conn = conn
        #: appended to a SELECT that must lock its rows until the transaction ends; empty
        #: for SQLite, where ``BEGIN IMMEDIATE`` already serialises every writer
        self.for_update = for_update
        self._pg = placeholder != "?"
        self._errors = errors
        self._integrity = integrity
        self._sql: dict[str, str] = {}

    def _q(self, sql: str) -> str:
        if not self._pg:
            return sql
        q = self._sql.get(sql)
        if q is None:
            q = self._sql[sql] = sql.replace("%", "%%").replace("?", "%s")
        return q

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        try:
            return self.conn.execute(self._q(sql), params)
        except self._integrity as exc:
            raise Conflict(f"the store refused a duplicate: {type(exc).__name__}") from exc
        except self._errors as exc:
            raise StoreUnavailable(f"database error: {type(exc).__name__}: {exc}") from exc

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        try:
            self.conn.cursor().executemany(self._q(sql), rows)
        except self._integrity as exc:
            raise Conflict(f"the store refused a duplicate: {type(exc).__name__}") from exc
        except self._errors as exc:
            raise StoreUnavailable(f"database error: {type(exc).__name__}: {exc}") from exc

    def one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        row: Row | None = self.execute(sql, params).fetchone()
        return row

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        rows: list[Row] = self.execute(sql, params).fetchall()
        return rows
