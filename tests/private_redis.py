"""A redis-server of a test's own, to stop, start, freeze and thaw (outage tests).

Never the shared server on 6379: other tests and CI's broker and cache live there.
Skipped on a laptop without redis-server, a failure under CI=true (tests.conftest.require).
"""

import os
import shutil
import signal
import socket
import subprocess
import time

from tests.conftest import require


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """redis-server on a free port, keeping nothing on disk; `url` has no database."""

    def __init__(self):
        self.binary = shutil.which("redis-server")
        require(self.binary is not None, "redis-server is not installed")
        self.port = free_port()
        self.process = None

    def start(self, timeout: float = 10):
        """Start it and wait (up to `timeout` seconds) until it answers PING."""
        import redis

        self.process = subprocess.Popen(  # noqa: S603
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_timeout=1, socket_connect_timeout=1)
        deadline = time.monotonic() + timeout
        while True:
            try:
                if client.ping():
                    break
            except redis.RedisError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        client.close()
        return self

    def kill(self):
        self.process.kill()  # SIGKILL ends a frozen process too
        self.process.wait(timeout=10)

    def freeze(self):
        """SIGSTOP: connections are accepted, nothing answers."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self):
        os.kill(self.process.pid, signal.SIGCONT)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"


def production_caches(settings, location: str) -> dict:
    """CACHES as alliance/settings/base.py sets them when REDIS_URL is given, with
    `location` (a redis:// URL with its database) as the server."""
    return {
        "default": {
            "BACKEND": "alliance.cache.DegradingRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": "alliance",
            "KEY_FUNCTION": "alliance.release.make_key",
            "OPTIONS": {
                "socket_connect_timeout": settings.CACHE_TIMEOUT_MS / 1000,
                "socket_timeout": settings.CACHE_TIMEOUT_MS / 1000,
            },
        }
    }
