"""The root of SmartGuard's exception tree and the errors the domain raises.

The domain raises only for broken input; business outcomes (declines) are values. The rest
of the tree lives in :mod:`smartguard.errors`.
"""

from __future__ import annotations


class SmartGuardError(Exception):
    """Base of every error SmartGuard raises on purpose."""

    code = "error"


class InvalidInput(SmartGuardError):
    """A value SmartGuard cannot accept; ``field`` names it and ``message`` says why."""

    code = "invalid_input"

    def __init__(self, field: str, message: str, code: str | None = None) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        if code is not None:
            self.code = code
