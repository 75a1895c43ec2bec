"""Fixtures shared by every test: departments, users in each role, policies made through the actions."""

import datetime
import importlib
import os
import sys

import pytest

from gongkai.core import roles


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits and cached pages never carry over from one test to the next."""
    from django.core.cache import caches

    from gongkai.core.pagecache import clear_local

    clear_local()
    for alias in caches.settings:
        caches[alias].clear()
    yield
    for alias in caches.settings:
        caches[alias].clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's language (Chinese). A request with the English cookie activates English in
    the thread that handled it (portal.middleware.ExplicitLanguageMiddleware, like Django's LocaleMiddleware), and
    the test client runs requests in the test's own thread: without this, one English page would turn every later
    message of that worker English."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


_SEEDED: dict[str, list[dict]] = {}  # the rows seed_departments() and seed_themes() made, per model


def _seed_departments_and_themes() -> None:
    """What `seed_departments()` and `seed_themes()` make. Their first run in a worker goes through them (about 500
    queries of update_or_create); later tests insert the same rows in two bulk inserts, parents first (the rows
    are read back from the first run, so they follow any change to the seeding code)."""
    from django.db.models import ForeignKey

    from gongkai.core.departments import clear_department_cache
    from gongkai.core.models import Department
    from gongkai.core.seed_departments import seed_departments
    from gongkai.policies.models import Theme
    from gongkai.policies.themes import seed_themes

    models = (Department, Theme)
    empty = not any(model.objects.exists() for model in models)
    if not (empty and _SEEDED):
        seed_departments()
        seed_themes()
        if empty and not _SEEDED:
            for model in models:
                _SEEDED[model.__name__] = list(model.objects.order_by("pk").values())
        return
    for model in models:
        fields = [
            f for f in model._meta.concrete_fields if not f.primary_key and not isinstance(f, ForeignKey)
        ]
        assert [f.name for f in model._meta.concrete_fields if isinstance(f, ForeignKey)] == ["parent"]
        rows = _SEEDED[model.__name__]
        new_pk = {}
        for level in (lambda r: r["parent_id"] is None, lambda r: r["parent_id"] is not None):
            batch = [r for r in rows if level(r)]
            assert all(r["parent_id"] is None or r["parent_id"] in new_pk for r in batch), "deeper trees"
            made = model.objects.bulk_create(
                [
                    model(parent_id=new_pk.get(r["parent_id"]), **{f.attname: r[f.attname] for f in fields})
                    for r in batch
                ]
            )
            for r, obj in zip(batch, made, strict=True):
                if obj.pk is None:  # backends that return no ids from a bulk insert
                    obj.pk = model.objects.get(**{"name": r["name"], "parent_id": obj.parent_id}).pk
                new_pk[r["id"]] = obj.pk
    clear_department_cache()


@pytest.fixture
def departments(db):
    _seed_departments_and_themes()
    from gongkai.core.models import Department

    return {d.short_name: d for d in Department.objects.all()}


@pytest.fixture
def make_user(db, departments):
    from gongkai.core.models import User

    counter = {"n": 0}

    def make(role=roles.DRAFTER, department="区发展改革委", **extra):
        counter["n"] += 1
        if counter["n"] == 1:
            roles.ensure_roles()  # once per test: the role groups and their permissions
        user = User.objects.create_user(
            username=extra.pop("username", f"user{counter['n']}"),
            password="test-password-123",
            department=departments[department] if isinstance(department, str) else department,
            **extra,
        )
        if role:
            roles.assign_role(user, role)
        return user

    return make


@pytest.fixture
def admin_user(make_user):
    return make_user(roles.ADMINISTRATOR, "区政务服务局", username="admin", is_superuser=True, is_staff=True)


@pytest.fixture
def make_policy(departments):
    from gongkai.policies import actions

    def make(
        title="关于促进中小企业发展的若干措施",
        *,
        department="区发展改革委",
        publish=True,
        actor=None,
        **fields,
    ):
        fields.setdefault(
            "body", "第一条 为了促进中小企业发展，制定本措施。\n第二条 本措施自发布之日起施行。"
        )
        fields.setdefault("written_date", datetime.date(2024, 3, 1))
        fields.setdefault("publish_date", datetime.date(2024, 3, 5))
        policy = actions.create_policy(actor=actor, title=title, issuer=departments[department], **fields)
        if publish:
            policy = actions.publish_policy(policy, actor=actor)
        return policy

    return make


POST_FORMS = "//form[translate(@method, 'POST', 'post')='post']"


def read_form(html: str, xpath: str = POST_FORMS, *, submit: str | None = None) -> dict:
    """What a browser would send for the first form matching `xpath` in `html`: every input, select and
    textarea with its current value (checked boxes only), plus the named submit button if given. Lets tests
    post the real form of a screen instead of a hand-built dict."""
    from lxml import html as lxml_html

    doc = lxml_html.fromstring(html)
    forms = doc.xpath(xpath)
    assert forms, f"no form matches {xpath!r}"
    form = forms[0]
    data: dict[str, list[str]] = {}

    def add(name, value):
        data.setdefault(name, []).append(value)

    for el in form.iter("input", "select", "textarea"):
        name = el.get("name")
        if not name or el.get("disabled") is not None:
            continue
        if el.tag == "input":
            kind = (el.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                continue
            if kind in ("checkbox", "radio"):
                if el.get("checked") is not None:
                    add(name, el.get("value") or "on")
                continue
            add(name, el.get("value") or "")
        elif el.tag == "textarea":
            add(name, el.text or "")
        else:
            options = el.xpath(".//option")
            chosen = [o for o in options if o.get("selected") is not None]
            if not chosen and options and el.get("multiple") is None:
                chosen = options[:1]
            for option in chosen:
                add(name, option.get("value") if option.get("value") is not None else (option.text or ""))
    if submit:
        add(submit, "1")
    return {k: v if len(v) > 1 else v[0] for k, v in data.items()}


@pytest.fixture
def form_data():
    """`form_data(html, xpath=..., submit=None)`: the POST data of a rendered form (see `read_form`)."""
    return read_form


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class _Chromium:
    """One Chromium per worker, started by the first browser test; every test gets a fresh context (its own
    cookies, storage and cache), as a fresh browser would give it. Starting Chromium per test cost 0.5–1.5 s.

    Playwright's sync API runs its asyncio loop in a greenlet of this thread, so between Playwright calls the
    thread counts as "in an event loop": Django then refuses ORM calls (SynchronousOnlyOperation) and
    `async_to_sync` refuses to run. Between browser tests the loop is therefore unset from the thread (it is
    idle: nothing of Playwright runs until the next call) and set again before the next browser test uses it."""

    def __init__(self):
        self.manager = self.browser = self.loop = None

    def __enter__(self):
        import asyncio

        if self.browser is None:
            from playwright.sync_api import sync_playwright

            self.manager = sync_playwright()
            playwright = self.manager.__enter__()
            self.loop = asyncio.events._get_running_loop()
            self.browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        else:
            asyncio.events._set_running_loop(self.loop)
        return self.browser

    def __exit__(self, *exc):
        import asyncio

        asyncio.events._set_running_loop(None)

    def close(self):
        if self.browser is None:
            return
        with self:
            self.browser.close()
            self.manager.__exit__(None, None, None)
        self.manager = self.browser = self.loop = None


@pytest.fixture(scope="session")
def _chromium():
    chromium = _Chromium()
    yield chromium
    chromium.close()


@pytest.fixture
def browser_page(live_server, monkeypatch, _chromium):
    """A Playwright page in Debian's Chromium, for tests marked `browser`. Skips when Chromium is missing."""
    import os

    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (make test installs it)")

    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the test itself are safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with _chromium as browser:
        context = browser.new_context(locale="zh-CN")
        try:
            page = context.new_page()
            page.set_default_timeout(15_000)
            yield page
        finally:
            context.close()


# --- the test database: migrated once, then copied ---------------------------------------------------------------
# Migrating the ~300 migrations of Django, Wagtail and gongkai takes a minute of CPU (several on a loaded machine),
# and every pytest-xdist worker did it for its own in-memory SQLite database. Now the first worker that needs a
# database migrates it and keeps a copy in `var/test-template-sqlite-<key>.sqlite3` (key: the migration files, and
# what `post_migrate` does: roles, Wagtail's defaults); the other workers, and later runs, copy that file into
# their in-memory database with SQLite's backup API (well under a second). `GONGKAI_TEST_DB_TEMPLATE=0` migrates
# every time, as before. PostgreSQL runs migrate as before (a throwaway server per run).
ROOT = os.path.dirname(os.path.abspath(__file__))


def _template_key() -> str:
    import hashlib
    from pathlib import Path

    from django.db.migrations.loader import MigrationLoader

    digest = hashlib.sha256()
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for key in sorted(loader.disk_migrations):
        digest.update(repr(key).encode())
        module = sys.modules.get(type(loader.disk_migrations[key]).__module__)
        if module is not None and getattr(module, "__file__", None):
            digest.update(Path(module.__file__).read_bytes())
    core = Path(ROOT) / "src" / "gongkai" / "core"
    for name in ("apps.py", "roles.py", "wagtail_defaults.py"):
        digest.update((core / name).read_bytes())
    digest.update(
        repr(sorted((role, sorted(perms)) for role, perms in roles.ROLE_PERMISSIONS.items())).encode()
    )
    return digest.hexdigest()[:16]


def _uses_sqlite_template() -> bool:
    from django.db import connections

    settings_dict = connections["default"].settings_dict
    return (
        os.environ.get("GONGKAI_TEST_DB_TEMPLATE", "1") != "0"
        and settings_dict["ENGINE"].endswith("sqlite3")
        and settings_dict["NAME"] in (":memory:", "")
    )


def _uses_postgres_template() -> bool:
    from django.db import connections

    return (
        os.environ.get("GONGKAI_TEST_DB_TEMPLATE", "1") != "0"
        and connections["default"].vendor == "postgresql"
    )


# What `django_db_setup` copied the test database from: ("sqlite", file) or ("postgresql", database name); the
# server tests (tests/serverkit.py) start their sites from it too instead of migrating once more.
MIGRATED_TEMPLATE: dict[str, str] = {}


def _postgres_from_template(request, aliases, serialized_aliases):
    """PostgreSQL: the first worker migrates its test database as pytest-django does and copies it to
    `test_template_<key>` (CREATE DATABASE … TEMPLATE); the other workers create theirs from that copy. A
    PostgreSQL advisory lock on the server makes the others wait while the first one migrates."""
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connections
    from django.test.utils import setup_databases

    connection = connections["default"]
    quote = connection.ops.quote_name
    template = f"test_template_{_template_key()}"
    test_name = connection.creation._get_test_db_name()
    with connection._nodb_cursor() as admin:
        admin.execute("SELECT pg_advisory_lock(%s)", [0x6B676B7470])  # held until this cursor closes
        admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
        if admin.fetchone() is None:
            db_cfg = setup_databases(
                verbosity=request.config.option.verbose,
                interactive=False,
                aliases=aliases,
                serialized_aliases=serialized_aliases,
            )
            connection.close()  # CREATE DATABASE … TEMPLATE needs the source without connections
            admin.execute(
                f"CREATE DATABASE {quote(template)} TEMPLATE {quote(connection.settings_dict['NAME'])}"
            )
        else:
            old_name = connection.settings_dict["NAME"]
            admin.execute(f"DROP DATABASE IF EXISTS {quote(test_name)}")
            admin.execute(f"CREATE DATABASE {quote(test_name)} TEMPLATE {quote(template)}")
            connection.close()
            settings.DATABASES["default"]["NAME"] = test_name
            connection.settings_dict["NAME"] = test_name
            ContentType.objects.clear_cache()
            if "default" in serialized_aliases:
                connection._test_serialized_contents = connection.creation.serialize_db_to_string()
            call_command("createcachetable", database="default", verbosity=0)
            db_cfg = [(connection, old_name, True)]
    MIGRATED_TEMPLATE["postgresql"] = template
    return db_cfg


@pytest.fixture(scope="session")
def migrated_sqlite_file():
    """The checkout's migrated SQLite template (`var/test-template-sqlite-<key>.sqlite3`) when a run has made it,
    else None: for a test that starts Django processes on a SQLite file of its own and is no database test
    (it would not be one if it asked for `migrated_template`, which sets up the test database). A copy and a
    `migrate` with nothing to apply (only the `post_migrate` steps) replace migrating from scratch."""
    if os.environ.get("GONGKAI_TEST_DB_TEMPLATE", "1") == "0":
        return None
    template = os.path.join(ROOT, "var", f"test-template-sqlite-{_template_key()}.sqlite3")
    return template if os.path.exists(template) else None


@pytest.fixture(scope="session")
def migrated_template(django_db_setup):
    """("sqlite", path) or ("postgresql", database name) of the migrated template database, or None. (A session
    of only server tests sets up no test database: it still finds the SQLite template a previous run left.)"""
    if not MIGRATED_TEMPLATE and _uses_sqlite_template():
        template = os.path.join(ROOT, "var", f"test-template-sqlite-{_template_key()}.sqlite3")
        if os.path.exists(template):
            MIGRATED_TEMPLATE["sqlite"] = template
    return next(iter(MIGRATED_TEMPLATE.items()), None)


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """pytest-django's `django_db_setup`, with the SQLite test database copied from a migrated template (see
    above) instead of migrated in every worker."""
    import fcntl
    import glob
    import sqlite3
    from contextlib import closing, suppress

    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _get_databases_for_setup

    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    keepdb = django_db_keepdb and not django_db_createdb
    copyable = django_db_use_migrations and not keepdb and aliases == {"default"}
    if copyable and _uses_postgres_template():
        with django_db_blocker.unblock():
            db_cfg = _postgres_from_template(request, aliases, serialized_aliases)
        yield
        with django_db_blocker.unblock():
            teardown_databases(db_cfg, verbosity=request.config.option.verbose)
        return
    if not (_uses_sqlite_template() and copyable):
        # pytest-django's own steps (PostgreSQL, --nomigrations, --reuse-db).
        from pytest_django.fixtures import _disable_migrations

        if not django_db_use_migrations:
            _disable_migrations()
        with django_db_blocker.unblock():
            db_cfg = setup_databases(
                verbosity=request.config.option.verbose,
                interactive=False,
                aliases=aliases,
                serialized_aliases=serialized_aliases,
                **({"keepdb": True} if keepdb else {}),
            )
        yield
        if not django_db_keepdb:
            with django_db_blocker.unblock():
                teardown_databases(db_cfg, verbosity=request.config.option.verbose)
        return

    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connections

    connection = connections["default"]
    os.makedirs(os.path.join(ROOT, "var"), exist_ok=True)
    template = os.path.join(ROOT, "var", f"test-template-sqlite-{_template_key()}.sqlite3")
    with django_db_blocker.unblock(), open(template + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one worker migrates; the others wait for its copy
        try:
            if os.path.exists(template):
                old_name = connection.settings_dict["NAME"]
                test_name = connection.creation._create_test_db(verbosity=0, autoclobber=True, keepdb=False)
                connection.close()
                settings.DATABASES["default"]["NAME"] = test_name
                connection.settings_dict["NAME"] = test_name
                connection.ensure_connection()
                with closing(sqlite3.connect(template)) as source:
                    source.backup(connection.connection)
                ContentType.objects.clear_cache()  # ids from the copy, not from a previous query
                if "default" in serialized_aliases:
                    connection._test_serialized_contents = connection.creation.serialize_db_to_string()
                call_command("createcachetable", database="default", verbosity=0)
                db_cfg = [(connection, old_name, True)]
            else:
                db_cfg = setup_databases(
                    verbosity=request.config.option.verbose,
                    interactive=False,
                    aliases=aliases,
                    serialized_aliases=serialized_aliases,
                )
                partial = f"{template}.{os.getpid()}.tmp"
                with closing(sqlite3.connect(partial)) as target:
                    connection.ensure_connection()
                    connection.connection.backup(target)
                os.replace(partial, template)
                for stale in glob.glob(os.path.join(ROOT, "var", "test-template-sqlite-*.sqlite3")):
                    if stale != template:  # made for migrations that no longer exist
                        with suppress(OSError):
                            os.remove(stale)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    MIGRATED_TEMPLATE["sqlite"] = template
    _restore_after_transactional_tests(template)
    yield
    with django_db_blocker.unblock():
        teardown_databases(db_cfg, verbosity=request.config.option.verbose)


def _restore_after_transactional_tests(template: str) -> None:
    """A transactional test (live server, browser) ends with Django's `flush` and the whole `post_migrate` work
    (content types, permissions, roles, Wagtail's defaults): 0.6–0.7 s of CPU each. On the in-memory SQLite
    database the migrated template is copied back instead (milliseconds): the next test sees the database as
    migrated, as the first test of the worker did."""
    import sqlite3
    import time
    from contextlib import closing

    from django.contrib.contenttypes.models import ContentType
    from django.db import connections
    from django.test import TransactionTestCase

    flush = TransactionTestCase._fixture_teardown
    if getattr(flush, "restores_template", False):
        return

    def _fixture_teardown(self):
        if (
            list(self._databases_names(include_mirrors=False)) != ["default"]
            or self.available_apps is not None
            or self.serialized_rollback
        ):
            return flush(self)
        connection = connections["default"]
        connection.ensure_connection()
        if not connection.get_autocommit() or connection.connection.in_transaction:
            return flush(self)
        # The live server thread shares this in-memory database; a request the browser sent as the test ended
        # (a late fetch, a page still loading) can hold it for a moment: "destination database is in use".
        # Wait for it (up to 10 s), then fall back to Django's flush rather than fail the test's teardown.
        for _attempt in range(100):
            try:
                with closing(sqlite3.connect(template)) as source:
                    source.backup(connection.connection)
                break
            except sqlite3.OperationalError as error:
                if "in use" not in str(error):
                    raise
                time.sleep(0.1)
        else:
            return flush(self)
        ContentType.objects.clear_cache()

    _fixture_teardown.restores_template = True
    TransactionTestCase._fixture_teardown = _fixture_teardown


DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server", "site_factory"}


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & fixtures
    )


def pytest_sessionfinish(session, exitstatus):
    """The run's controlling process (pytest-xdist's, or the only one) drops the PostgreSQL site template its
    workers shared (tests/serverkit.py), once every worker is done with it."""
    factory = getattr(session.config, "_tmp_path_factory", None)
    if hasattr(session.config, "workerinput") or not os.environ.get("DATABASE_URL") or factory is None:
        return
    from tests.serverkit import drop_shared_template

    drop_shared_template(factory.getbasetemp())


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Longest first. pytest-django orders the tests database tests, then transactional tests, then the rest, so
    the server tests (one pytest-xdist group that runs in one worker for several minutes: `gongkai serve`, backup,
    the writers scenario) came last and the run waited for them at its end. They start first now; they use no
    test database of this process, except `test_serve_browser`, which moves only where a transactional test ends
    with a copy of the template (SQLite) instead of a flush. There the browser tests (the longest after them)
    follow, then pytest-django's order."""
    restores = (  # as django_db_setup decides (the template path installs the copy-back teardown)
        _uses_sqlite_template()
        and not config.getoption("nomigrations", False)
        and not config.getoption("reuse_db", False)
    )

    def rank(item):
        transactional = _transactional(item)
        if item.get_closest_marker("server") and (restores or not transactional):
            return 0
        if restores and item.get_closest_marker("browser"):
            return 1
        return 2

    items.sort(key=rank)
    _database_only(config, items)
    _xdist_groups(config, items)


def _xdist_groups(config, items):
    """`--dist loadgroup` sends the tests of one `xdist_group` to one worker by the suffix `@group` that
    pytest-xdist (3.8) adds to each test's node id, by assigning `item._nodeid`. pytest 9.2 derives the node id
    from `item._id` instead, so the suffix was lost and every group was spread over the workers: each worker
    built the module fixtures of a group for itself. The suffix is added here the way this pytest reads it
    (and left alone where pytest-xdist's own assignment took effect)."""
    if not (hasattr(config, "workerinput") and config.getvalue("loadgroup")):
        return
    from _pytest.nodeid import NodeId

    for item in items:
        names = sorted(
            {
                str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                for m in item.iter_markers("xdist_group")
            }
        )
        if not names or item.nodeid.endswith("@" + "_".join(names)):
            continue
        item._id = NodeId.parse(f"{item.nodeid}@{'_'.join(names)}")


def _database_only(config, items):
    """`GONGKAI_TEST_DATABASE_ONLY=1` (the PostgreSQL run of `make test`) keeps only the tests that touch a database:
    a parser or rule test that uses none has already run in the SQLite run and would only repeat itself. Tests
    marked `rendering_only(reason=...)` are left to the SQLite run too: they only open screens (the admin crawls)
    whose queries the other database tests run on PostgreSQL (docs/development.md "Test time")."""
    if os.environ.get("GONGKAI_TEST_DATABASE_ONLY") != "1":
        return
    keep, skip = [], []
    for item in items:
        uses_db = item.get_closest_marker("django_db") or DATABASE_FIXTURES & set(
            getattr(item, "fixturenames", ())
        )
        rendering_only = item.get_closest_marker("rendering_only")
        if rendering_only is not None:
            assert rendering_only.kwargs.get("reason"), f"{item.nodeid}: rendering_only needs a reason"
        (keep if uses_db and rendering_only is None else skip).append(item)
    if skip:
        config.hook.pytest_deselected(items=skip)
        items[:] = keep


# What the production settings module decides about serving and security; the rest (database, folders, mail)
# stays the test settings'.
PRODUCTION_NAMES = [
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "X_FRAME_OPTIONS",
    "MIDDLEWARE",
    "CONTENT_SECURITY_POLICY",
    "GONGKAI_ADMIN_CSP_DIRECTIVES",
    "GONGKAI_TRUSTED_PROXIES",
    "STORAGES",
]


@pytest.fixture
def production_settings(settings, monkeypatch, tmp_path):
    """`gongkai.settings.production` as loaded in production (environment: a secret key and a host), its serving
    and security settings applied to this test's settings."""
    monkeypatch.setenv("SECRET_KEY", "a-production-like-secret-key-" + "x" * 40)
    monkeypatch.setenv("ALLOWED_HOSTS", "gongkai.example.gov.cn")
    sys.modules.pop("gongkai.settings.production", None)
    module = importlib.import_module("gongkai.settings.production")
    try:
        test_static_storage = settings.STORAGES["staticfiles"]
        for name in PRODUCTION_NAMES:
            setattr(settings, name, getattr(module, name))
        # The production static storage needs the collected manifest (`gongkai serve` makes it); tests render
        # with the plain storage.
        settings.STORAGES = {**settings.STORAGES, "staticfiles": test_static_storage}
        settings.ALLOWED_HOSTS = ["gongkai.example.gov.cn", "testserver"]
        # WhiteNoise (production MIDDLEWARE) warns about a missing STATIC_ROOT; the test's static files are
        # served by the test's own storage, not from a collected folder.
        static_root = tmp_path / "static"
        static_root.mkdir(exist_ok=True)
        settings.STATIC_ROOT = str(static_root)
        yield settings
    finally:
        sys.modules.pop("gongkai.settings.production", None)
        assert os.environ["SECRET_KEY"]  # the monkeypatch restores it after the test
