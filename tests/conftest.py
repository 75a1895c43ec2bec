import pytest

from .serverkit import SiteFactory


@pytest.fixture(scope="session")
def site_factory(tmp_path_factory):
    """Migrated sites for tests that run `gongkai serve` or scripts in other processes: the template database is
    migrated once per test session (per xdist worker; the tests share the "server" group, hence one worker)."""
    factory = SiteFactory(tmp_path_factory.mktemp("sites"))
    yield factory
    factory.cleanup()
