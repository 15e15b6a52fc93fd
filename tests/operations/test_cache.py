"""The Redis cache is shared by every node, and its absence slows pages rather than breaking them."""

from __future__ import annotations

import uuid

from django.core.cache.backends.base import DEFAULT_TIMEOUT

from config.cache import ResilientRedisCache


def cache_at(location: str) -> ResilientRedisCache:
    return ResilientRedisCache(location, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}",
                                          "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}})


def test_two_nodes_see_one_cache():
    node_a = cache_at("redis://127.0.0.1:6379/0")
    node_b = ResilientRedisCache("redis://127.0.0.1:6379/0", {"KEY_PREFIX": node_a.key_prefix})
    node_a.set("diff:1:2", {"html": "<ins>x</ins>"}, 30)
    assert node_b.get("diff:1:2") == {"html": "<ins>x</ins>"}
    node_a.set_many({"a": 1, "b": 2}, 30)
    assert node_b.get_many(["a", "b", "c"]) == {"a": 1, "b": 2}
    node_b.delete("a")
    assert node_a.get("a") is None


def test_redis_down_is_a_miss_not_an_error(caplog):
    down = cache_at("redis://127.0.0.1:1/0")
    assert down.get("anything", "default") == "default"
    assert down.get_many(["a", "b"]) == {}
    down.set("a", 1)
    assert down.set_many({"a": 1}) == ["a"]
    assert down.add("a", 1) is False
    assert down.delete("a") is False
    assert "Redis unreachable" in caplog.text


def test_the_default_timeout_is_the_caches_not_forever():
    node = cache_at("redis://127.0.0.1:6379/0")
    node.set("k", 1)  # DEFAULT_TIMEOUT: Django's 300 s, not None (which would mean forever)
    assert ResilientRedisCache.set.__defaults__[0] is DEFAULT_TIMEOUT
    ttl = node._cache.get_client().ttl(node.make_and_validate_key("k"))
    assert 0 < ttl <= 300
