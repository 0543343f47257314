"""SmartGuard's one exception tree. Entry points map each class to an HTTP status or an
ISO 8583 response code in one place (``entrypoints/http_api/errors.py``,
``adapters/iso8583/mapping.py``); driver errors become :class:`StoreUnavailable` at the
adapter border.

::

    SmartGuardError
    ├── InvalidInput            bad value in a request (HTTP 422, ISO 30/13)
    ├── NotFound                no such thing
    │   ├── UnknownCard         (HTTP 404, ISO 14)
    │   ├── UnknownAccount
    │   ├── UnknownCardholder
    │   ├── UnknownChallenge
    │   ├── UnknownAgreement
    │   ├── UnknownTravelException
    │   └── UnknownFinding      a check-up finding that is not (or no longer) there
    ├── Conflict                valid request, wrong moment (HTTP 409)
    │   ├── IdempotencyConflict same key, different request (ISO 94)
    │   └── InvalidState        e.g. unfreezing a card an operator blocked
    ├── AuthError
    │   ├── Unauthenticated     no or unknown API key (HTTP 401)
    │   └── Forbidden           key lacks the role or does not own the card (HTTP 403)
    └── StoreUnavailable        the database failed; authorizations fail closed (ISO 96)
        ├── StoreConflict       a transient conflict (deadlock, serialization failure):
        │                       the writer runs the batch again; seen only if it persists
        └── StoreDisconnected   the connection to the store was lost (a failover): before
                                COMMIT the writer runs the batch again on a new connection

A programming error that could only hang, a job run synchronously from the writer's own
event loop, raises :class:`smartguard.service_layer.writer.WriterMisuse` (a RuntimeError).
"""

from __future__ import annotations

from smartguard.domain.errors import InvalidInput, SmartGuardError

__all__ = [
    "AuthError",
    "Conflict",
    "Forbidden",
    "IdempotencyConflict",
    "InvalidInput",
    "InvalidState",
    "NotFound",
    "SmartGuardError",
    "StoreConflict",
    "StoreDisconnected",
    "StoreUnavailable",
    "Unauthenticated",
    "UnknownAccount",
    "UnknownAgreement",
    "UnknownCard",
    "UnknownCardholder",
    "UnknownChallenge",
    "UnknownFinding",
    "UnknownTravelException",
]


class NotFound(SmartGuardError):
    code = "not_found"


class UnknownCard(NotFound):
    code = "unknown_card"


class UnknownAccount(NotFound):
    code = "unknown_account"


class UnknownCardholder(NotFound):
    code = "unknown_cardholder"


class UnknownChallenge(NotFound):
    code = "unknown_challenge"


class UnknownAgreement(NotFound):
    code = "unknown_agreement"


class UnknownTravelException(NotFound):
    code = "unknown_travel_exception"


class UnknownFinding(NotFound):
    code = "unknown_finding"


class Conflict(SmartGuardError):
    code = "conflict"


class IdempotencyConflict(Conflict):
    code = "idempotency_conflict"


class InvalidState(Conflict):
    code = "invalid_state"


class TooLarge(SmartGuardError):
    """A body larger than the endpoint takes (HTTP 413)."""

    code = "too_large"


class AuthError(SmartGuardError):
    code = "auth_error"


class Unauthenticated(AuthError):
    code = "unauthenticated"


class Forbidden(AuthError):
    code = "forbidden"


class StoreUnavailable(SmartGuardError):
    code = "store_unavailable"


class StoreConflict(StoreUnavailable):
    code = "store_conflict"


class StoreDisconnected(StoreUnavailable):
    code = "store_disconnected"
