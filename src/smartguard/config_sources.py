"""Where settings come from besides the TOML file: the environment, files named by it, the
command line; each value typed and checked, and where it came from remembered (for
``smartguard config show``). docs/operations.md says why this and not pydantic-settings.

Every setting ``name`` can come from ``SMARTGUARD_<NAME>``, a table's from
``SMARTGUARD_<TABLE>_<NAME>`` (``SMARTGUARD_ISO8583_PORT``), and every secret from a file
named by ``SMARTGUARD_<NAME>_FILE`` (``SMARTGUARD_SMPP_PASSWORD_FILE``). A variable that
starts with ``SMARTGUARD_`` and names no setting is refused: a typo must not go unseen.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import fields
from pathlib import Path
from typing import Any, get_type_hints

from pydantic import TypeAdapter, ValidationError

from smartguard.domain.errors import InvalidInput

PREFIX = "SMARTGUARD_"
#: names the settings file (the command line's --config); not a setting itself
CONFIG_VARIABLE = "SMARTGUARD_CONFIG"
#: settings that are secrets: masked when shown, and each may come from a *_FILE variable
SECRETS = frozenset({"database_url", "smpp.password", "webhooks.secrets",
                     "sms_inbound.secrets"})
#: top-level settings that are not set by name (built from others, or tables of tables:
#: ``[ceilings.<product>.<channel>]`` and ``[controls] cooldown_hours`` come from the file)
NOT_BY_NAME = frozenset({"secret", "ceilings", "challenge_validity", "alerts", "iso",
                         "cooldowns"})
EXTRA = {"secret_file": str, "challenge_validity_minutes": float}


def settable_of(settings: type[Any], tables: Mapping[str, type[Any]]) -> dict[str, Any]:
    """Every setting of the ``settings`` dataclass and its ``tables`` by its dotted name
    (``http_port``, ``iso8583.port``) -> its type."""
    hints = get_type_hints(settings)
    found: dict[str, Any] = {f.name: hints[f.name] for f in fields(settings)
                             if f.name not in NOT_BY_NAME}
    found.update(EXTRA)
    for table, cls in tables.items():
        table_hints = get_type_hints(cls)
        found.update({f"{table}.{f.name}": table_hints[f.name] for f in fields(cls)})
    return found


def env_name(dotted: str) -> str:
    return PREFIX + dotted.replace(".", "_").upper()


def _dotted(variable: str, known: Mapping[str, Any]) -> tuple[str, bool] | None:
    """The setting a variable names, and whether it names it through a file."""
    by_env = {env_name(name): name for name in known}
    if variable in by_env:
        return by_env[variable], False
    if variable.endswith("_FILE") and by_env.get(variable[:-5]) in SECRETS:
        return by_env[variable[:-5]], True
    return None


def from_env(env: Mapping[str, str], known: Mapping[str, Any], raw: dict[str, Any],
             sources: dict[str, str]) -> None:
    """Put the ``SMARTGUARD_*`` variables of ``env`` into ``raw`` (shaped like the TOML
    file: top-level keys and tables), over what the file said; ``known``: the settings."""
    for variable in sorted(v for v in env if v.startswith(PREFIX) and v != CONFIG_VARIABLE):
        found = _dotted(variable, known)
        if found is None:
            raise InvalidInput(variable, "names no setting (docs/operations.md lists them)")
        dotted, from_file = found
        text = _read_secret(variable, env[variable]) if from_file else env[variable]
        value = _from_text(variable, text, known[dotted])
        table, _, name = dotted.rpartition(".")
        (raw.setdefault(table, {}) if table else raw)[name] = value
        sources[dotted] = f"env {variable}"


def _read_secret(variable: str, path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise InvalidInput(variable, f"cannot read {path}: {exc.strerror}") from exc


def _from_text(variable: str, text: str, kind: Any) -> Any:
    """A variable's text as its setting's type wants it: a list is JSON or comma-separated."""
    if getattr(kind, "__origin__", None) is tuple:
        if text.startswith("["):
            try:
                items = json.loads(text)
            except ValueError as exc:
                raise InvalidInput(variable, "is not a JSON list") from exc
        else:
            items = [item.strip() for item in text.split(",") if item.strip()]
        return typed(variable, items, kind)
    return typed(variable, text, kind)


def typed(name: str, value: Any, kind: Any) -> Any:
    """``value`` checked (and converted: "8000" -> 8000, "true" -> True) as ``kind``;
    a bad one is refused with the setting's name."""
    try:
        return TypeAdapter(kind).validate_python(value)
    except ValidationError as exc:
        problem = exc.errors()[0]["msg"]
        raise InvalidInput(name, f"{value!r} is not valid: {problem}") from exc


def typed_table(prefix: str, table: Mapping[str, Any], cls: type[Any]) -> dict[str, Any]:
    """A table's values, each checked as its field's type (unknown names are the caller's
    business)."""
    hints = get_type_hints(cls)
    name = f"{prefix}." if prefix else ""
    return {k: typed(f"{name}{k}", v, hints[k]) for k, v in table.items() if k in hints}


def effective(settings: Any, known: Mapping[str, Any], raw_secret_file: str | None = None
              ) -> dict[str, Any]:
    """Every setting's effective value, by dotted name."""
    found: dict[str, Any] = {}
    for dotted in known:
        table, _, name = dotted.rpartition(".")
        if dotted == "secret_file":
            found[dotted] = raw_secret_file or str(settings.data_dir / "secret.key")
        elif dotted == "challenge_validity_minutes":
            found[dotted] = settings.challenge_validity.total_seconds() / 60
        elif table == "iso8583":
            found[dotted] = getattr(settings.iso, name)
        elif table:
            found[dotted] = getattr(getattr(settings.alerts, table), name)
        else:
            found[dotted] = getattr(settings, name)
    return found


def shown(dotted: str, value: Any) -> str:
    """A setting's value as ``config show`` prints it: secrets masked."""
    if dotted in SECRETS:
        return _masked_secret(value)
    if isinstance(value, tuple):
        return json.dumps(list(value), ensure_ascii=False)
    return json.dumps(str(value) if isinstance(value, Path) else value, ensure_ascii=False)


def _masked_secret(value: Any) -> str:
    if not value:
        return '""'
    if isinstance(value, str) and "://" in value and "@" in value:
        scheme, rest = value.split("://", 1)
        return f"{scheme}://***@{rest.rsplit('@', 1)[1]}"  # a URL: keep its host
    return "***"
