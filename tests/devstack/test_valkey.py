"""The embedded Valkey: a redis:// URL RQ accepts, a clean stop, queued data kept across restarts."""

from __future__ import annotations

import psutil
import redis

from giamsat.devstack.valkey import EmbeddedValkey


def test_start_stop_and_restart_keeps_the_data(scratch):
    server = EmbeddedValkey(scratch / "valkey")
    server.start()
    try:
        assert server.url.startswith("redis://127.0.0.1:")
        assert server.port != 6379
        client = redis.Redis.from_url(server.url)
        client.rpush("rq:queue:default", "job-1")
        client.close()
    finally:
        pid = server.pid
        server.stop()
    assert not psutil.pid_exists(pid)

    server.start()
    try:
        client = redis.Redis.from_url(server.url)
        assert client.lrange("rq:queue:default", 0, -1) == [b"job-1"]
        client.close()
    finally:
        pid = server.pid
        server.stop()
    assert not psutil.pid_exists(pid)


def test_rq_accepts_the_url(scratch):
    from rq import Queue

    server = EmbeddedValkey(scratch / "valkey")
    server.start()
    try:
        connection = redis.Redis.from_url(server.url)
        queue = Queue("default", connection=connection)
        job = queue.enqueue("builtins.len", "abc")
        assert queue.job_ids == [job.id]
        connection.close()
    finally:
        server.stop()
