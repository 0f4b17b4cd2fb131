"""A Redis lock store whose tickets are issued and taken atomically, for several Rasa servers.

Rasa 3.6's RedisLockStore reads the conversation's lock, adds a ticket and
writes it back in three commands, so two servers that get a message for the
same sender at the same instant can both take ticket 0 and run the
conversation at once; the SQL tracker store then drops one of the two turns
(RasaHQ/rasa PR #3933, issue #9213). Here each step is one Redis command or
one Lua script, which Redis runs without interleaving:

- issuing a ticket is INCR on a per-conversation counter (unique, in arrival
  order) plus its entry in the queue, in one script;
- taking the lock is `SET holder ticket NX PX lifetime`, done in one script
  with the check that the ticket is the oldest live one in the queue: only
  one server can hold the conversation, and its messages run in the order
  they reached Redis;
- releasing deletes the holder only if it still holds this ticket.

A ticket whose server died expires after the lock lifetime (TICKET_LOCK_LIFETIME,
60 s by default), so a crash never blocks a conversation for good.
Configure it in endpoints.yml as `type: addons.redis_ticket_lock.RedisTicketLockStore`
with the RedisLockStore settings (url, port, db, password, key_prefix...).
"""
from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

POLL_SECONDS = 0.02  # between tries while another message of the conversation runs

# KEYS: counter, queue (zset ticket -> ticket), deadlines (hash ticket -> ms); ARGV: lifetime ms
_ISSUE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ticket = redis.call('INCR', KEYS[1])
redis.call('ZADD', KEYS[2], ticket, ticket)
redis.call('HSET', KEYS[3], ticket, now + tonumber(ARGV[1]))
for _, key in ipairs(KEYS) do redis.call('PEXPIRE', key, 2 * tonumber(ARGV[1])) end
return ticket
"""

# KEYS: holder, queue, deadlines; ARGV: ticket, lifetime ms
# 1 taken, 0 not yet (another ticket is first or holds the lock), -1 this ticket expired
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local head = nil
while true do
  head = redis.call('ZRANGE', KEYS[2], 0, 0)[1]
  if not head then return -1 end
  if tonumber(redis.call('HGET', KEYS[3], head) or '0') > now then break end
  redis.call('ZREM', KEYS[2], head)
  redis.call('HDEL', KEYS[3], head)
end
if redis.call('ZSCORE', KEYS[2], ARGV[1]) == false then return -1 end
if head ~= ARGV[1] then return 0 end
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
return 1
"""

# KEYS: holder, queue, deadlines; ARGV: ticket
_RELEASE = """
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
"""


class RedisTicketLockStore(RedisLockStore):
    """RedisLockStore with atomic tickets: one message of a conversation at a time, across servers."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **settings: Any) -> None:
        if endpoint_config is not None:
            settings = {**endpoint_config.kwargs, **settings}
            settings.setdefault("host", endpoint_config.url or "localhost")
        super().__init__(**settings)
        self._issue = self.red.register_script(_ISSUE)
        self._acquire = self.red.register_script(_ACQUIRE)
        self._release = self.red.register_script(_RELEASE)

    def _keys(self, conversation_id: str) -> list[str]:
        base = self.key_prefix + conversation_id
        return [f"{base}:holder", f"{base}:queue", f"{base}:deadlines"]

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        base = self.key_prefix + conversation_id
        keys = [f"{base}:counter", f"{base}:queue", f"{base}:deadlines"]
        return int(self._issue(keys=keys, args=[_milliseconds(lock_lifetime)]))

    @asynccontextmanager
    async def lock(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME,
                   wait_time_in_seconds: float = POLL_SECONDS) -> AsyncGenerator[TicketLock, None]:
        """Hold the conversation for one message; waits (polling Redis) while an earlier ticket runs."""
        ticket = self.issue_ticket(conversation_id, lock_lifetime)
        try:
            while True:
                taken = int(self._acquire(keys=self._keys(conversation_id),
                                          args=[ticket, _milliseconds(lock_lifetime)]))
                if taken == 1:
                    break
                if taken == -1:
                    raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}': "
                                    f"ticket {ticket} expired while waiting.")
                await asyncio.sleep(wait_time_in_seconds)
            yield TicketLock(conversation_id)
        finally:
            self._release(keys=self._keys(conversation_id), args=[ticket])


def _milliseconds(seconds: float) -> int:
    return max(1, int(seconds * 1000))
