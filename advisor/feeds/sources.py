"""Feed sources (FeedSource rows): the feeds `prices update` checks, with their HTTP cache validators.

A source is an http(s) URL or a local file path, with a unique name, an enabled flag and a priority
(higher first; when two feeds price the same item on the same day the higher one is applied last, so it
is the latest). Changing a source's location forgets its ETag / Last-Modified.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col, select

from advisor.db.models import FeedSource
from advisor.errors import InputError, NotFoundError
from advisor.feeds.client import is_url

NAME_MAX_CHARS = 200


@dataclass(frozen=True)
class SourceInfo:
    id: int
    name: str
    url: str  # http(s) URL or local file path
    enabled: bool
    priority: int
    last_checked: dt.datetime | None
    etag: str | None
    last_modified: str | None


def _info(row: FeedSource) -> SourceInfo:
    return SourceInfo(
        row.id or 0,
        row.name,
        row.url,
        row.enabled,
        row.priority,
        row.last_checked,
        row.etag,
        row.last_modified,
    )


def check_location(location: str) -> str:
    """A valid source location (http(s) URL or a path); FeedError for ftp://, file:// and the like."""
    location = location.strip()
    if not location:
        raise InputError("a source needs a URL or a file path", field="url")
    is_url(location)
    return location


def _check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > NAME_MAX_CHARS:
        raise InputError(f"a source name is 1-{NAME_MAX_CHARS} characters", field="name")
    return name


def list_sources(engine: sa.Engine, *, enabled_only: bool = False) -> list[SourceInfo]:
    """Sources by priority (highest first), then name."""
    query = select(FeedSource).order_by(col(FeedSource.priority).desc(), col(FeedSource.name))
    if enabled_only:
        query = query.where(col(FeedSource.enabled).is_(True))
    with Session(engine) as session:
        return [_info(row) for row in session.exec(query).all()]


def get_source(engine: sa.Engine, name: str) -> SourceInfo | None:
    with Session(engine) as session:
        row = session.exec(select(FeedSource).where(FeedSource.name == name.strip())).first()
        return _info(row) if row else None


def add_source(
    engine: sa.Engine, name: str, url: str, *, enabled: bool = True, priority: int = 0
) -> SourceInfo:
    name, url = _check_name(name), check_location(url)
    with Session(engine) as session:
        if session.exec(select(FeedSource).where(FeedSource.name == name)).first() is not None:
            raise InputError(f"a source named {name!r} already exists", field="name")
        row = FeedSource(name=name, url=url, enabled=enabled, priority=int(priority))
        session.add(row)
        session.commit()
        session.refresh(row)
        return _info(row)


def update_source(
    engine: sa.Engine,
    name: str,
    *,
    new_name: str | None = None,
    url: str | None = None,
    enabled: bool | None = None,
    priority: int | None = None,
) -> SourceInfo:
    """Change the given fields of source ``name``; NotFoundError if there is none."""
    with Session(engine) as session:
        row = session.exec(select(FeedSource).where(FeedSource.name == name.strip())).first()
        if row is None:
            raise NotFoundError(f"no feed source named {name!r}", field="source")
        if new_name is not None and _check_name(new_name) != row.name:
            if (
                session.exec(select(FeedSource).where(FeedSource.name == new_name.strip())).first()
                is not None
            ):
                raise InputError(f"a source named {new_name.strip()!r} already exists", field="name")
            row.name = new_name.strip()
        if url is not None and check_location(url) != row.url:
            row.url = url.strip()
            row.etag = row.last_modified = None  # validators belong to the old location
        if enabled is not None:
            row.enabled = enabled
        if priority is not None:
            row.priority = int(priority)
        session.add(row)
        session.commit()
        session.refresh(row)
        return _info(row)


def remove_source(engine: sa.Engine, name: str) -> None:
    """Delete source ``name`` (its applied price points stay: they are history)."""
    with Session(engine) as session:
        row = session.exec(select(FeedSource).where(FeedSource.name == name.strip())).first()
        if row is None:
            raise NotFoundError(f"no feed source named {name!r}", field="source")
        session.delete(row)
        session.commit()
