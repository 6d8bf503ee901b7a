"""Fixtures for catalog tests: the bundled seed, loaded once, and a writable copy of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from advisor.catalog import Catalog, load_seed
from advisor.catalog.seed import SeedCatalog
from advisor.paths import catalog_dir


@pytest.fixture(scope="session")
def seed() -> SeedCatalog:
    return load_seed()


@pytest.fixture(scope="session")
def catalog(seed: SeedCatalog) -> Catalog:
    return Catalog.from_seed(seed)


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    """A real copy of the bundled catalog files that a test may break."""
    target = tmp_path / "catalog"
    shutil.copytree(catalog_dir(), target)
    return target
