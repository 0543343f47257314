"""One module per protection; each rule has the signature of :data:`Rule`.

A rule looks at the request, the card's state and the cardholder's local time, and returns
a :class:`Verdict` when it objects, or None.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from smartguard.domain.decisions import Verdict
from smartguard.domain.transactions import AuthorizationRequest

if TYPE_CHECKING:
    # state.py imports controls.values, which runs this package first: importing
    # state here at run time would be a cycle whenever state is imported first.
    from smartguard.domain.state import CardState

Rule = Callable[[AuthorizationRequest, "CardState", datetime], Verdict | None]
