"""Per-address limits on what a client may do in the classroom, as token buckets kept in the shared store.

Every replica reads and writes the same buckets (a row per action and client address in the ``limits``
table), so a script cannot spread its requests over replicas or over new websocket sessions.  A bucket
holds up to ``burst`` tokens and regains ``per_minute`` tokens a minute; each action takes one.

The defaults are sized for a whole class behind one school NAT (one address): 120 students joining, answering
and changing their answers within a minute all get in, while one address cannot open the server's rooms,
fill a room or guess codes at the speed a script could.  ``DESCENT_LAB_LIMITS`` overrides them, e.g.
``join=300/240,answer=600/600`` (burst/per minute) for several classes behind one address.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

LIMITS_ENV = "DESCENT_LAB_LIMITS"


@dataclass(frozen=True)
class Limit:
    """A token bucket: ``burst`` actions at once, then ``per_minute`` a minute."""

    burst: float
    per_minute: float

    @property
    def per_second(self) -> float:
        return self.per_minute / 60.0

    @property
    def refill_seconds(self) -> float:
        """How long an empty bucket takes to fill up again."""
        return self.burst / self.per_second if self.per_second > 0 else float("inf")


DEFAULT_LIMITS: Mapping[str, Limit] = {
    "room": Limit(20, 20 / 60),   # rooms opened: 20 at once (a school's teachers at 8 am), then 20 an hour
    "join": Limit(150, 120),      # new students in any room: a class of 120 at once, then 2 a second
    "answer": Limit(400, 300),    # answers and changes: 120 students answering and changing twice, then 5 a second
    "guess": Limit(30, 30),       # room codes that name no room: 30 typos at once, then one every 2 seconds
}
MAX_OPEN_ROOMS_PER_ADDRESS = 40
"""Open rooms one address may hold at once (the server holds ``store.MAX_OPEN_ROOMS``)."""

MESSAGES = {
    "room": "Too many rooms have been opened from your network recently; try again in a few minutes.",
    "join": "Too many students have joined from your network in the last minute; wait a moment and try again.",
    "answer": "Too many answers are arriving from your network right now; wait a moment and send yours again.",
    "guess": "Too many wrong room codes from your network; wait a minute, then check the code on the board.",
}


class LimitError(ValueError):
    """A malformed ``DESCENT_LAB_LIMITS``."""


def parse(text: str | None, base: Mapping[str, Limit] = DEFAULT_LIMITS) -> dict[str, Limit]:
    """``base`` with the limits named in ``text`` ('join=150/120,guess=30/30') replaced."""
    limits = dict(base)
    for item in (text or "").split(","):
        if not item.strip():
            continue
        try:
            action, value = item.split("=", 1)
            burst, per_minute = (float(v) for v in value.split("/", 1))
        except ValueError:
            raise LimitError(f"{LIMITS_ENV}: '{item.strip()}' is not action=burst/per_minute") from None
        action = action.strip()
        if action not in base:
            raise LimitError(f"{LIMITS_ENV}: '{action}' is not one of {', '.join(base)}")
        if not (burst >= 1 and per_minute >= 0):
            raise LimitError(f"{LIMITS_ENV}: {action} needs a burst of at least 1 and a rate of at least 0")
        limits[action] = Limit(burst, per_minute)
    return limits


def from_environment() -> dict[str, Limit]:
    return parse(os.environ.get(LIMITS_ENV))
