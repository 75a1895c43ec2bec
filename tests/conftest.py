"""Fixtures and constants of the cross-app tests (the `production_settings` fixture is in the root conftest)."""

import pytest

from .serverkit import SiteFactory

# A request as the local TLS proxy forwards it.
VIA_PROXY = {
    "REMOTE_ADDR": "127.0.0.1",
    "HTTP_X_FORWARDED_PROTO": "https",
    "HTTP_X_FORWARDED_FOR": "203.0.113.7",
}


@pytest.fixture(scope="session")
def site_factory(tmp_path_factory, migrated_template):
    """Migrated sites for tests that run `gongkai serve` or scripts in other processes: the template database is
    made once per test session and xdist worker, from a copy of the test run's migrated database (root conftest.py)
    when there is one: `gongkai migrate` then has nothing to apply (about 25 s instead of 90 s under load)."""
    factory = SiteFactory(tmp_path_factory.mktemp("sites"), migrated_template)
    yield factory
    factory.cleanup()
