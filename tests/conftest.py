"""Fixtures and constants of the cross-app tests (the `production_settings` fixture is in the root conftest)."""

import pytest

from .serverkit import SiteFactory, shared_dir_of

# A request as the local TLS proxy forwards it.
VIA_PROXY = {
    "REMOTE_ADDR": "127.0.0.1",
    "HTTP_X_FORWARDED_PROTO": "https",
    "HTTP_X_FORWARDED_FOR": "203.0.113.7",
}


@pytest.fixture(scope="session")
def site_factory(request, tmp_path_factory, migrated_template):
    """Migrated sites for tests that run `gongkai serve` or scripts in other processes: the template database is
    made once per test run (under pytest-xdist by the first worker that needs it, in a folder all workers share;
    the others wait for it), from a copy of the test run's migrated database (root conftest.py) when there is
    one: `gongkai migrate` then has nothing to apply (about 25 s instead of 90 s under load)."""
    shared = None
    if hasattr(request.config, "workerinput"):  # a pytest-xdist worker: its base folder is inside the run's
        shared = shared_dir_of(tmp_path_factory.getbasetemp().parent)
    factory = SiteFactory(tmp_path_factory.mktemp("sites"), migrated_template, shared)
    yield factory
    factory.cleanup()
