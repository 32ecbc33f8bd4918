"""Django's Redis cache with one client per connection pool, kept for the process.

Django's own backend builds a new `redis.Redis` client (and its ~170 response callbacks) for
every operation; every request reads the page cache's generation, so on a page served from
the cache that construction was a sixth of the request's CPU in the web process (profile of
20 hits on the practice list, bench/request_cpu.py --profile: 23 of 138 ms). A client only
holds its pool and options, and the pool is safe across threads and forks (redis-py resets
it in a forked child), so one client per pool serves every call."""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class PooledClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = PooledClient
