"""Server-side conversations: a bounded map of session id → Session, least recently used first.

Lookups, touches, expiry and eviction are O(1) (amortised): the map is ordered by last use, so
the expired and the least recently used sessions are always at its front.
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from collections.abc import Callable

from faqbot.bot import Bot
from faqbot.session import Session

__all__ = ["MAX_SESSION_ID", "SessionStore"]

MAX_SESSION_ID = 64  # longer ids are never ours: treated as unknown


class SessionStore:
    """Holds at most ``cap`` sessions, each forgotten ``ttl`` seconds after its last use."""

    def __init__(self, bot: Bot, ttl: float, cap: int, clock: Callable[[], float]) -> None:
        if ttl <= 0 or cap < 1:
            raise ValueError(f"session ttl and cap must be positive, got {ttl!r} and {cap!r}")
        self.bot = bot
        self.ttl = ttl
        self.cap = cap
        self.clock = clock
        self._sessions: OrderedDict[str, tuple[Session, float]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._sessions)

    def open(self, session_id: str | None) -> tuple[str, Session]:
        """The live session ``session_id``, else a new one (unknown, expired or no id)."""
        now = self.clock()
        self._expire(now)
        held = self._sessions.get(session_id) if session_id else None
        if held is not None and session_id is not None:
            self._sessions[session_id] = (held[0], now)
            self._sessions.move_to_end(session_id)
            return session_id, held[0]
        return self._create(now)

    def _create(self, now: float) -> tuple[str, Session]:
        session_id = secrets.token_urlsafe(18)
        session = Session(self.bot)
        self._sessions[session_id] = (session, now)
        while len(self._sessions) > self.cap:
            self._sessions.popitem(last=False)
        return session_id, session

    def _expire(self, now: float) -> None:
        sessions = self._sessions
        while sessions:
            oldest = next(iter(sessions.values()))
            if now - oldest[1] < self.ttl:
                return
            sessions.popitem(last=False)
