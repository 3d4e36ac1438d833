"""Redis clients: a worker's blocking client notices a vanished server through TCP keepalive."""

from __future__ import annotations

import socket

from giamsat.core.queue import redis_connection
from tests.plugins.jobs import REDIS_URL


def test_clients_keep_their_connections_alive_with_short_probes():
    for blocking in (True, False):
        client = redis_connection(REDIS_URL, blocking=blocking)
        try:
            assert client.ping()
            connection = client.connection_pool.get_connection()
            try:
                sock = connection._sock
                assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
                if hasattr(socket, "TCP_KEEPIDLE"):
                    assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE) == 30
            finally:
                client.connection_pool.release(connection)
        finally:
            client.close()
