"""Fetching a feed: one ``requests.Session`` with timeouts, bounded retries, TLS, a size cap and progress.

- Timeouts: connect and read (per socket read), plus an overall deadline per request (default 60 s)
  that a watchdog enforces by cutting the connection (advisor.feeds.deadline): a server trickling its
  headers or body a byte at a time cannot hold the download longer.
- Retries: urllib3 ``Retry`` with exponential backoff on connection errors and 5xx (not a hand loop).
  Read timeouts are not retried (a slow server would multiply the wait); ``Retry-After`` is ignored
  so the wait stays bounded.
- TLS verification is always on; a session with ``verify=False`` is refused. A CA bundle path may be
  given (company proxies).
- Size cap: Content-Length is checked first, then the streamed body; past the cap the download stops.
- Conditional GET: ``If-None-Match`` / ``If-Modified-Since``; a 304 is "no change".
- Only http(s) URLs or explicit local file paths; ``file://``, ``ftp://`` etc. are refused.
- ``progress_callback(bytes_done, bytes_total)`` after every chunk (total 0 = unknown); returning True
  cancels (:class:`FeedCancelled`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import requests
from urllib3.util.retry import Retry

from advisor import __version__
from advisor.errors import InputError
from advisor.feeds.deadline import DeadlineAdapter, DeadlinePassed
from advisor.feeds.records import FeedCancelled, FeedError
from advisor.files import check_regular_file

ProgressCallback = Callable[[int, int], bool]  # (bytes_done, bytes_total or 0 if unknown) -> cancel?

DEFAULT_TOTAL_TIMEOUT_S = 60.0  # one whole download, headers to last byte [s]
DEFAULT_MAX_BYTES = 20_000_000  # a 10,000-item feed is ~2 MB; 20 MB leaves room and stops junk
CHUNK_BYTES = 64 * 1024
RETRY_STATUSES = (500, 502, 503, 504)
REFUSED_SCHEMES = ("file:", "ftp:", "ftps:", "sftp:", "data:", "gopher:")


@dataclass(frozen=True)
class FetchResult:
    """What a fetch brought back. ``not_modified`` means HTTP 304: ``body`` is empty, nothing changed."""

    location: str
    not_modified: bool
    body: bytes
    content_type: str
    etag: str | None
    last_modified: str | None
    final_url: str  # after redirects (the location itself for files)

    @property
    def size_bytes(self) -> int:
        return len(self.body)


def is_url(location: str) -> bool:
    """True for http(s) URLs; raises FeedError for other URL schemes; False for a local path."""
    lowered = location.strip().lower()
    if lowered.startswith(("http://", "https://")):
        parts = urlsplit(location.strip())
        if not parts.netloc:
            raise FeedError(f"URL has no host: {location!r}", field="source")
        if "@" in parts.netloc:
            # A secret in a URL ends up in the database, the batch list, `sources list` and logs. The URL is
            # not echoed here for the same reason.
            raise FeedError(
                f"the URL carries a user name or password (user:pass@{parts.hostname or 'host'}); Rig Advisor "
                "does not store secrets: use a URL without them",
                field="source",
            )
        return True
    if "://" in lowered or lowered.startswith(REFUSED_SCHEMES):
        scheme = lowered.split(":", 1)[0]
        raise FeedError(
            f"{scheme}: URLs are not allowed; use an http(s) URL or a plain local file path", field="source"
        )
    return False


class FeedClient:
    """Downloads feeds with one configured :class:`requests.Session` (injected in tests, or made here)."""

    user_agent = f"rig-advisor/{__version__} (price feed client; python-requests/{requests.__version__})"

    def __init__(
        self,
        session: requests.Session | None = None,
        *,
        connect_timeout_s: float = 5.0,
        read_timeout_s: float = 30.0,
        total_timeout_s: float = DEFAULT_TOTAL_TIMEOUT_S,
        max_bytes: int = DEFAULT_MAX_BYTES,
        retries: int = 3,
        backoff_factor_s: float = 0.5,
        max_redirects: int = 5,
        ca_bundle: str | None = None,
    ) -> None:
        self.session = session or requests.Session()
        if self.session.verify is False:
            raise ValueError(
                "TLS verification is off on this session; pass ca_bundle=PATH instead of disabling it"
            )
        self.ca_bundle = ca_bundle
        if ca_bundle:
            self.session.verify = ca_bundle
        if not 0 < total_timeout_s <= 86_400:
            raise FeedError(f"must be between 0 and 86400 s, got {total_timeout_s:g}", field="timeout")
        # No single wait may outlast the whole deadline. A read timeout at or past it is left to the
        # watchdog (plus 1 s as a safety net), so a slow answer always reads "took longer than N s".
        read_s = read_timeout_s if read_timeout_s < total_timeout_s else total_timeout_s + 1
        self.timeout = (min(connect_timeout_s, total_timeout_s), read_s)
        self.total_timeout_s = total_timeout_s
        self.max_bytes = max_bytes
        self.retries = retries
        retry = Retry(
            total=None,
            connect=retries,
            read=False,  # read timeouts: fail at once (see module docstring)
            status=retries,
            other=0,
            redirect=None,
            backoff_factor=backoff_factor_s,
            backoff_max=10.0,
            status_forcelist=RETRY_STATUSES,
            allowed_methods=frozenset({"GET", "HEAD"}),
            respect_retry_after_header=False,
            raise_on_status=True,
        )
        adapter = DeadlineAdapter(max_retries=retry)
        self._adapter = adapter
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.max_redirects = max_redirects
        self.session.headers["User-Agent"] = self.user_agent

    def close(self) -> None:
        self.session.close()

    def fetch(
        self,
        location: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        progress_callback: ProgressCallback | None = None,
        allow_files: bool = True,
    ) -> FetchResult:
        """Fetch ``location`` (http(s) URL or, if allowed, a local file path). Raises FeedError / FeedCancelled."""
        if is_url(location):
            return self._fetch_http(location.strip(), etag, last_modified, progress_callback)
        if not allow_files:
            raise FeedError(f"only http(s) URLs are allowed here, got {location!r}", field="source")
        return self.read_file(Path(location), progress_callback)

    def read_file(self, path: Path, progress_callback: ProgressCallback | None = None) -> FetchResult:
        """Read an explicit local file under the same size cap, with progress."""
        try:
            check_regular_file(path, "feed file")  # a FIFO would block the read forever
        except FeedError:
            raise
        except InputError as exc:
            raise FeedError(str(exc)) from None
        try:
            total = path.stat().st_size
            if total > self.max_bytes:
                raise FeedError(f"file is {total:,} bytes, over the {self.max_bytes:,}-byte feed size limit")
            with path.open("rb") as fh:
                body = self._collect(
                    iter(lambda: fh.read(CHUNK_BYTES), b""), total, progress_callback, str(path)
                )
        except FileNotFoundError:
            raise FeedError("no such file", field=str(path)) from None
        except IsADirectoryError:
            raise FeedError("is a directory, not a feed file", field=str(path)) from None
        except PermissionError:
            raise FeedError("permission denied", field=str(path)) from None
        content_type = "application/json" if path.suffix.lower() == ".json" else ""
        return FetchResult(str(path), False, body, content_type, None, None, str(path))

    def _fetch_http(
        self, url: str, etag: str | None, last_modified: str | None, progress: ProgressCallback | None
    ) -> FetchResult:
        """One download under the overall deadline: past it the watchdog cuts the connection, and whatever
        error (or short body) that causes is reported as the deadline."""
        too_slow = FeedError(
            f"download from {url} took longer than {self.total_timeout_s:g} s (the server is too slow); "
            "stopped, nothing written",
            field="source",
        )
        with self._adapter.deadline(self.total_timeout_s) as deadline:
            try:
                result = self._fetch_http_now(url, etag, last_modified, progress)
            except DeadlinePassed:
                raise too_slow from None
            except FeedCancelled:
                raise
            except FeedError:
                if deadline.expired:
                    raise too_slow from None
                raise
            if deadline.expired:  # a body without Content-Length simply ends when the socket is cut
                raise too_slow
            return result

    def _fetch_http_now(
        self, url: str, etag: str | None, last_modified: str | None, progress: ProgressCallback | None
    ) -> FetchResult:
        headers = {"Accept": "application/json, text/csv;q=0.9, */*;q=0.1"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            # verify passed per request: otherwise REQUESTS_CA_BUNDLE in the environment overrides ca_bundle.
            verify = self.session.verify if self.ca_bundle else True
            with self.session.get(
                url, headers=headers, timeout=self.timeout, stream=True, verify=verify
            ) as resp:
                if resp.status_code == 304:
                    return FetchResult(url, True, b"", "", etag, last_modified, resp.url)
                if resp.status_code != 200:
                    raise FeedError(f"HTTP {resp.status_code} {resp.reason} from {resp.url}", field="source")
                declared = _content_length(resp)
                if declared > self.max_bytes:
                    raise FeedError(
                        f"feed is {declared:,} bytes (Content-Length), over the {self.max_bytes:,}-byte size limit",
                        field="source",
                    )
                # With gzip the header counts compressed bytes but progress counts decoded ones.
                total = 0 if resp.headers.get("Content-Encoding") else declared
                body = self._collect(resp.iter_content(CHUNK_BYTES), total, progress, url)
                return FetchResult(
                    url,
                    False,
                    body,
                    resp.headers.get("Content-Type", ""),
                    resp.headers.get("ETag"),
                    resp.headers.get("Last-Modified"),
                    resp.url,
                )
        except requests.exceptions.SSLError as exc:
            raise FeedError(
                f"TLS failed for {url} (certificate not trusted or handshake error): {_reason(exc)}",
                field="source",
            ) from None
        except requests.exceptions.ConnectTimeout:
            raise FeedError(
                f"could not connect to {url} within {self.timeout[0]:g} s", field="source"
            ) from None
        except requests.exceptions.ReadTimeout:
            raise FeedError(
                f"server did not answer within {self.timeout[1]:g} s (read timeout)", field="source"
            ) from None
        except requests.exceptions.TooManyRedirects:
            raise FeedError(f"too many redirects from {url} (a redirect loop?)", field="source") from None
        except requests.exceptions.RetryError as exc:
            raise FeedError(
                f"server error from {url} after {self.retries} retries: {_reason(exc)}", field="source"
            ) from None
        except requests.exceptions.InvalidSchema:
            raise FeedError(f"{url} redirected to a URL scheme that is not allowed", field="source") from None
        except (requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
            raise FeedError(f"connection to {url} failed: {_reason(exc)}", field="source") from None
        except requests.exceptions.ContentDecodingError as exc:
            raise FeedError(
                f"could not decode the response from {url}: {_reason(exc)}", field="source"
            ) from None
        except requests.exceptions.RequestException as exc:
            raise FeedError(f"request to {url} failed: {_reason(exc)}", field="source") from None

    def _collect(self, chunks, total: int, progress: ProgressCallback | None, what: str) -> bytes:  # type: ignore[no-untyped-def]
        """Read chunks under the size cap and the overall deadline, reporting progress; cancellable."""
        started = time.monotonic()
        parts: list[bytes] = []
        done = 0
        if progress and progress(0, total):
            raise FeedCancelled(what)
        for chunk in chunks:
            done += len(chunk)
            if done > self.max_bytes:
                raise FeedError(
                    f"feed exceeds the {self.max_bytes:,}-byte size limit; download stopped", field="source"
                )
            if time.monotonic() - started > self.total_timeout_s:
                raise FeedError(
                    f"download took longer than {self.total_timeout_s:g} s; stopped", field="source"
                )
            parts.append(chunk)
            if progress and progress(done, total):
                raise FeedCancelled(what)
        return b"".join(parts)


def _content_length(resp: requests.Response) -> int:
    try:
        return max(0, int(resp.headers.get("Content-Length", "0")))
    except ValueError:
        return 0


def _reason(exc: BaseException) -> str:
    """The innermost readable reason of a requests/urllib3 error, on one line."""
    text = str(exc.args[0] if exc.args else exc)
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    if reason is not None:
        text = str(reason)
    return " ".join(text.split())[:300]
