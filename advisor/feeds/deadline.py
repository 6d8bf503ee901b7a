"""An overall deadline for one HTTP download, which requests' own timeouts do not give.

requests' read timeout bounds each socket read, so a server that sends one byte a second (in the headers
or in the body) never trips it and holds a download for as long as it likes. :class:`DeadlineAdapter`
keeps the connections its pools open; :meth:`DeadlineAdapter.deadline` starts a watchdog timer that,
when the time is up, shuts those sockets down (the blocked read returns at once) and refuses new
connections, so the caller's request fails within the deadline and :attr:`Deadline.expired` says why.

A FeedClient fetches one feed at a time, so cutting all of its adapter's connections cuts that fetch only.
"""

from __future__ import annotations

import socket
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool


class DeadlinePassed(Exception):
    """Raised instead of opening a connection once the deadline is over (not retried by urllib3)."""


class Deadline:
    """One download's watchdog: ``expired`` turns True when the time is up."""

    def __init__(self) -> None:
        self.expired = False


class DeadlineAdapter(HTTPAdapter):
    """An HTTPAdapter whose connections a :meth:`deadline` watchdog can cut."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # the sockets, not the connections: http.client drops conn.sock once a response that ends at EOF
        # has begun, while the response goes on reading from it
        self._live: weakref.WeakSet[socket.socket] = weakref.WeakSet()
        self._lock = threading.Lock()
        self._current: Deadline | None = None
        super().__init__(*args, **kwargs)

    # ------------------------------------------------------------ pools whose connections register
    def _pool_classes(self) -> dict[str, type[HTTPConnectionPool]]:
        adapter = self

        def connect_tracked(conn: HTTPConnection, base: type[HTTPConnection]) -> None:
            current = adapter._current
            if current is not None and current.expired:
                raise DeadlinePassed()
            base.connect(conn)
            if conn.sock is not None:
                with adapter._lock:
                    adapter._live.add(conn.sock)

        class TrackedHTTPConnection(HTTPConnection):
            def connect(self) -> None:
                connect_tracked(self, HTTPConnection)

        class TrackedHTTPSConnection(HTTPSConnection):
            def connect(self) -> None:
                connect_tracked(self, HTTPSConnection)

        class TrackedHTTPPool(HTTPConnectionPool):
            ConnectionCls = TrackedHTTPConnection

        class TrackedHTTPSPool(HTTPSConnectionPool):
            ConnectionCls = TrackedHTTPSConnection

        return {"http": TrackedHTTPPool, "https": TrackedHTTPSPool}

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = self._pool_classes()

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = self._pool_classes()
        return manager

    # ------------------------------------------------------------ the watchdog
    def _cut(self, deadline: Deadline) -> None:
        deadline.expired = True
        with self._lock:
            live = list(self._live)
        for sock in live:
            try:
                sock.shutdown(socket.SHUT_RDWR)  # the blocked recv() returns now
            except OSError:
                pass  # already closed

    @contextmanager
    def deadline(self, seconds: float) -> Iterator[Deadline]:
        """Within the block, every request through this adapter ends at most ``seconds`` from now."""
        deadline = Deadline()
        self._current = deadline
        timer = threading.Timer(seconds, self._cut, args=(deadline,))
        timer.daemon = True
        timer.start()
        try:
            yield deadline
        finally:
            timer.cancel()
            self._current = None
