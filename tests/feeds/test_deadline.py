"""A server that dribbles its headers or its body a byte at a time: the download stops at the overall
deadline (issue 16: it blocked 282 s, or past 400 s). A real socket server on loopback, not a mock:
pytest-httpserver cannot send half a header."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from advisor.feeds import FeedClient
from advisor.feeds.records import FeedError

BODY = json.dumps({"format": "rig-advisor-prices/1", "publisher": "slow", "published_at": "2026-11-02",
                   "currency": "USD", "items": []}).encode()


class DribblingServer:
    """Answers every connection slowly: ``mode`` "headers" sends the status line and headers one byte per
    ``gap_s``; "body" sends headers at once (with Content-Length) and the body a byte at a time; "body-eof"
    the same without Content-Length (the body ends when the connection closes)."""

    def __init__(self, mode: str, gap_s: float = 0.2) -> None:
        self.mode, self.gap_s = mode, gap_s
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/feed.json"

    def _dribble(self, conn: socket.socket, data: bytes) -> None:
        for i in range(len(data)):
            if self.stop.wait(self.gap_s):
                return
            conn.sendall(data[i:i + 1])

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:  # closed by close()
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)  # the request
                length = b"" if self.mode == "body-eof" else f"Content-Length: {len(BODY)}\r\n".encode()
                head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + length + b"\r\n"
                if self.mode == "headers":
                    self._dribble(conn, head * 50)  # never finishes its headers within the test
                else:
                    conn.sendall(head)
                    self._dribble(conn, BODY)
            except OSError:
                pass  # the client cut the connection: that is the point

    def close(self) -> None:
        self.stop.set()
        self.sock.close()
        self.thread.join(timeout=5)


@pytest.fixture(params=["headers", "body", "body-eof"])
def slow_server(request: pytest.FixtureRequest) -> Iterator[DribblingServer]:
    server = DribblingServer(request.param)
    yield server
    server.close()


def test_a_dribbling_server_is_cut_at_the_overall_deadline(slow_server: DribblingServer) -> None:
    # each byte arrives well within the 5 s read timeout, so only the overall deadline can stop it
    client = FeedClient(connect_timeout_s=2, read_timeout_s=5, total_timeout_s=1.5, retries=0)
    started = time.monotonic()
    with pytest.raises(FeedError, match=r"took longer than 1.5 s"):
        client.fetch(slow_server.url)
    elapsed = time.monotonic() - started
    client.close()
    # the whole body takes ~30 s to dribble and the headers ~5 minutes: well past this generous bound
    assert elapsed < 15, elapsed


def test_the_deadline_does_not_stop_a_quick_download(httpserver) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/feed.json").respond_with_data(BODY, content_type="application/json")
    client = FeedClient(total_timeout_s=5)
    for _ in range(3):  # the same client, several downloads: each gets its own deadline
        assert client.fetch(httpserver.url_for("/feed.json")).body == BODY
    client.close()


def test_an_impossible_timeout_is_refused() -> None:
    with pytest.raises(FeedError, match="timeout"):
        FeedClient(total_timeout_s=0)
