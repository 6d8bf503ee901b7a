"""The fetch client against a real HTTP server on loopback (pytest-httpserver)."""

from __future__ import annotations

import datetime as dt
import ssl
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from advisor.feeds import FeedCancelled, FeedClient, FeedError
from tests.feeds.conftest import GOOD_ITEMS, feed_bytes


def fast_client(**kw: object) -> FeedClient:
    """Short timeouts and backoff so failure tests take milliseconds, not the production seconds."""
    options: dict = {"connect_timeout_s": 2.0, "read_timeout_s": 2.0, "backoff_factor_s": 0.01} | kw
    return FeedClient(**options)


def test_fetch_sends_user_agent_and_reports_progress(httpserver: HTTPServer) -> None:
    body = feed_bytes(GOOD_ITEMS * 400)  # ~90 kB: several chunks
    httpserver.expect_request("/prices.json").respond_with_data(
        body,
        content_type="application/json",
        headers={"ETag": '"v1"', "Last-Modified": "Sun, 01 Nov 2026 00:00:00 GMT"},
    )
    seen: list[tuple[int, int]] = []
    result = fast_client().fetch(
        httpserver.url_for("/prices.json"), progress_callback=lambda d, t: seen.append((d, t)) or False
    )
    assert result.body == body and not result.not_modified
    assert (result.etag, result.last_modified) == ('"v1"', "Sun, 01 Nov 2026 00:00:00 GMT")
    assert seen[0] == (0, len(body)) and seen[-1] == (len(body), len(body)) and len(seen) >= 3
    request, _ = httpserver.log[0]
    assert request.headers["User-Agent"].startswith("rig-advisor/")


def test_conditional_get_304_means_not_modified(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/p.json", headers={"If-None-Match": '"v1"'}).respond_with_data("", status=304)
    result = fast_client().fetch(
        httpserver.url_for("/p.json"), etag='"v1"', last_modified="Sun, 01 Nov 2026 00:00:00 GMT"
    )
    assert result.not_modified and result.body == b""
    assert httpserver.log[0][0].headers["If-Modified-Since"] == "Sun, 01 Nov 2026 00:00:00 GMT"


def test_500_then_success_is_retried(httpserver: HTTPServer) -> None:
    httpserver.expect_ordered_request("/p.json").respond_with_data("boom", status=500)
    httpserver.expect_ordered_request("/p.json").respond_with_data("oops", status=503)
    httpserver.expect_ordered_request("/p.json").respond_with_data(b"{}", content_type="application/json")
    assert fast_client().fetch(httpserver.url_for("/p.json")).body == b"{}"
    assert len(httpserver.log) == 3


def test_500_after_retries_is_a_clear_error(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/p.json").respond_with_data("boom", status=500)
    with pytest.raises(FeedError, match=r"server error from .* after 2 retries: .*500"):
        fast_client(retries=2).fetch(httpserver.url_for("/p.json"))
    assert len(httpserver.log) == 3  # the first try and two retries


def test_404_is_named(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/p.json").respond_with_data("nope", status=404)
    with pytest.raises(FeedError, match=r"HTTP 404 NOT FOUND from http://"):
        fast_client().fetch(httpserver.url_for("/p.json"))


def test_redirect_loop_stops(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/loop").respond_with_data("", status=302, headers={"Location": "/loop"})
    with pytest.raises(FeedError, match="too many redirects"):
        fast_client().fetch(httpserver.url_for("/loop"))
    assert len(httpserver.log) == 6  # the request and max_redirects=5 follow-ups


def test_slow_server_times_out_without_retrying(httpserver: HTTPServer) -> None:
    calls: list[int] = []

    def slow(_request: Request) -> Response:
        calls.append(1)
        time.sleep(1.5)
        return Response(b"{}")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    with pytest.raises(FeedError, match=r"did not answer within 0.5 s \(read timeout\)"):
        fast_client(read_timeout_s=0.5).fetch(httpserver.url_for("/slow"))
    assert calls == [1]  # a read timeout is not retried: the wait stays bounded


def test_oversize_body_refused_by_content_length(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/big").respond_with_data(b" " * 50_000_000)
    with pytest.raises(
        FeedError, match=r"feed is 50,000,000 bytes \(Content-Length\), over the 20,000,000-byte"
    ):
        fast_client().fetch(httpserver.url_for("/big"))


def test_oversize_streamed_body_stops_past_the_cap(httpserver: HTTPServer) -> None:
    sent: list[int] = []

    def stream(_request: Request) -> Response:
        def chunks():  # no Content-Length: only the streamed count can stop it
            for _ in range(50):
                sent.append(1)
                yield b" " * 1_000_000

        return Response(chunks(), content_type="application/json")

    httpserver.expect_request("/big").respond_with_handler(stream)
    with pytest.raises(FeedError, match="exceeds the 20,000,000-byte size limit; download stopped"):
        fast_client().fetch(httpserver.url_for("/big"))


def test_progress_callback_cancels(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/p.json").respond_with_data(b"x" * 300_000)
    with pytest.raises(FeedCancelled):
        fast_client().fetch(httpserver.url_for("/p.json"), progress_callback=lambda done, total: done > 0)


@pytest.mark.parametrize(
    "location", ["file:///etc/passwd", "ftp://example.com/prices.json", "FILE:/etc/hosts", "gopher://x/"]
)
def test_other_url_schemes_are_refused(location: str) -> None:
    with pytest.raises(
        FeedError, match="URLs are not allowed; use an http\\(s\\) URL or a plain local file path"
    ):
        fast_client().fetch(location)


def test_local_file_is_read_and_can_be_forbidden(tmp_path: Path) -> None:
    path = tmp_path / "prices.json"
    path.write_bytes(feed_bytes(GOOD_ITEMS))
    assert fast_client().fetch(str(path)).body == path.read_bytes()
    with pytest.raises(FeedError, match="only http\\(s\\) URLs are allowed here"):
        fast_client().fetch(str(path), allow_files=False)
    with pytest.raises(FeedError, match="no such file"):
        fast_client().fetch(str(tmp_path / "missing.json"))


def test_tls_verification_cannot_be_switched_off_silently() -> None:
    session = requests.Session()
    session.verify = False
    with pytest.raises(ValueError, match="TLS verification is off"):
        FeedClient(session)
    assert FeedClient().session.verify is True


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[HTTPServer, Path]]:
    """A real HTTPS server on loopback with a self-signed certificate (and that certificate's path)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    server = HTTPServer(host="localhost", ssl_context=context)
    server.start()
    yield server, cert_path
    server.clear()
    server.stop()


def test_untrusted_certificate_is_refused_and_a_ca_bundle_is_honoured(
    tls_server: tuple[HTTPServer, Path],
) -> None:
    server, cert_path = tls_server
    server.expect_request("/p.json").respond_with_data(b"{}")
    url = server.url_for("/p.json")
    assert url.startswith("https://localhost:")
    with pytest.raises(FeedError, match=r"TLS failed for https://.*certificate verify failed"):
        fast_client(retries=0).fetch(url)
    assert fast_client(ca_bundle=str(cert_path)).fetch(url).body == b"{}"
