"""What the ISO 8583 gateway counts about its own traffic, cheaply enough for the hot path.

Every message read counts once as a request (by its MTI, read from its first four bytes:
counted before it is decoded, so a message that cannot be decoded counts too) and once as
an answer (by the answer's MTI, or ``closed`` when the connection was closed instead,
``none`` when nothing was answered), with the seconds from its bytes to its answer's. The
MTIs are a fixed set bound once (:class:`Count`, one per label value): per message an
attribute is incremented, no label is looked up and no dict is built; anything else counts
as ``other``, so a switch sending garbage cannot grow the label set. Format errors (rare)
are counted by reason and field (:data:`FORMAT_REASONS`).

The tallies are read when ``/metrics`` is scraped, on the same event loop
(:mod:`.front_metrics`), never from another thread.
"""

from __future__ import annotations

from collections.abc import Callable
from time import perf_counter

from smartguard.adapters.iso8583 import codec
from smartguard.adapters.iso8583 import mapping as m
from smartguard.service_layer.telemetry import SECONDS, Histogram

Reply = Callable[[bytes | None], None]

#: The requests SmartGuard handles, and the answers it gives them: the MTI label's values
#: (besides ``other``, ``closed`` and ``none``).
REQUEST_MTIS = tuple(sorted(m.AUTHORIZATIONS | m.REVERSALS | m.NETWORK))
ANSWER_MTIS = tuple(sorted({str(m.response_mti(mti)) for mti in REQUEST_MTIS}))
OTHER, CLOSED, NONE = "other", "closed", "none"
_MTI = slice(codec.HEADER_BYTES, codec.HEADER_BYTES + 4)  # an encoded answer's MTI

#: Why a message was a format error: ``undecodable`` (the codec could not read a field),
#: ``mti_unreadable`` (not 4 digits: the connection is closed), ``field_refused`` (decoded,
#: but a field the profile refuses: answered 30), ``core_refused`` (the core answered 30),
#: ``frame_too_large`` (a length header above ``max_message_bytes``: closed),
#: ``truncated_frame`` (the peer closed in the middle of a message).
FORMAT_REASONS = ("undecodable", "mti_unreadable", "field_refused", "core_refused",
                  "frame_too_large", "truncated_frame")
#: The field label's values: a field of the codec's spec, or "" when none is to blame.
FIELDS = frozenset(codec.SPEC)


class Count:
    """One labelled counter's value, bound once: the hot path adds to ``n``."""

    __slots__ = ("n",)

    def __init__(self) -> None:
        self.n = 0


def _bound(labels: tuple[str, ...]) -> dict[bytes, Count]:
    return {label.encode(): Count() for label in labels}


class IsoMeter:
    """The counts of one gateway (a front process's, or the one-process gateway's)."""

    def __init__(self, latency: Histogram | None = None) -> None:
        self.requests = _bound(REQUEST_MTIS)
        self.other_request = Count()
        self.answers = _bound(ANSWER_MTIS)
        self.other_answer, self.closed, self.unanswered = Count(), Count(), Count()
        #: seconds from a message's bytes to its answer's (network management included)
        self.latency = latency if latency is not None else Histogram(SECONDS)
        self.format_errors: dict[tuple[str, str], int] = {}
        self.accepted = Count()  # connections accepted

    def received(self, message: bytes, reply: Reply) -> Reply:
        """Count ``message`` (without its length header) and return ``reply`` wrapped to
        count and time its answer."""
        self.requests.get(message[:4], self.other_request).n += 1
        started = perf_counter()

        def answered(answer: bytes | None) -> None:
            reply(answer)
            if answer:
                self.answers.get(answer[_MTI], self.other_answer).n += 1
            elif answer is None:
                self.closed.n += 1
            else:
                self.unanswered.n += 1
            self.latency.observe(perf_counter() - started)

        return answered

    def format_error(self, reason: str, field: str = "") -> None:
        """One format error; ``field`` outside the codec's spec counts as ``other``."""
        key = (reason, field if not field or field in FIELDS else OTHER)
        self.format_errors[key] = self.format_errors.get(key, 0) + 1

    def undecodable(self, error: codec.FrameError) -> None:
        """The codec's reason starts with the field it could not read: ``field 4: ...``."""
        head = error.reason.split(":", 1)[0]
        self.format_error("undecodable", head.removeprefix("field ") if
                          head.startswith("field ") else "")

    def requests_by_mti(self) -> dict[str, int]:
        return _labels(self.requests, {OTHER: self.other_request.n})

    def answers_by_mti(self) -> dict[str, int]:
        return _labels(self.answers, {OTHER: self.other_answer.n, CLOSED: self.closed.n,
                                      NONE: self.unanswered.n})


def _labels(bound: dict[bytes, Count], more: dict[str, int]) -> dict[str, int]:
    return {**{k.decode(): c.n for k, c in bound.items()}, **more}
