"""A zh-hans user sees no English in the admin: every string of Wagtail's catalogs that the admin can show is
translated, by Wagtail's own zh_Hans catalog or by ours (src/gongkai/locale/zh_Hans), and our compiled .mo
files match their .po sources (they are committed, so a fresh clone has them)."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

import pytest
import wagtail
from django.utils import translation

OURS = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES"
WAGTAIL = Path(wagtail.__file__).resolve().parent
# The catalogs of the Wagtail apps this site installs and shows in the admin.
CATALOGS = [
    ("", "django"),
    ("admin", "django"),
    ("admin", "djangojs"),
    ("users", "django"),
    ("snippets", "django"),
    ("contrib/settings", "django"),
    ("documents", "django"),
    ("images", "django"),
    ("search", "django"),
]


def parse_po(path: Path) -> dict[tuple[str | None, str], list[str]]:
    """(msgctxt, msgid) -> msgstr list (one item, or the plural forms); plural entries are listed in
    `parse_po.plurals` of the last file read."""
    entries: dict = {}
    current: dict = {}
    key = None

    plurals = set()

    def flush():
        if current.get("msgid"):
            strs = [current[k] for k in sorted(current) if k.startswith("msgstr")]
            entries[(current.get("msgctxt"), current["msgid"])] = strs
            if "msgid_plural" in current:
                plurals.add((current.get("msgctxt"), current["msgid"]))
        current.clear()

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            current[key] += ast.literal_eval(line)
            continue
        key, _sp, value = line.partition(" ")
        current[key] = ast.literal_eval(value)
    flush()
    parse_po.plurals = plurals
    return entries


@pytest.mark.parametrize("app, domain", CATALOGS)
def test_every_wagtail_string_has_chinese(app, domain):
    english = parse_po(WAGTAIL / app / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po")
    theirs = parse_po(WAGTAIL / app / "locale" / "zh_Hans" / "LC_MESSAGES" / f"{domain}.po")
    ours = parse_po(OURS / f"{domain}.po")
    missing = [
        key[1]
        for key in english
        if not any((theirs.get(key) or [""])[0]) and not any((ours.get(key) or [""])[0])
    ]
    assert not missing, f"{len(missing)} untranslated in wagtail/{app} {domain}: {missing[:10]}"


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_compiled_catalog_matches_its_source(domain):
    source = parse_po(OURS / f"{domain}.po")
    with (OURS / f"{domain}.mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    plurals = parse_po.plurals
    for (context, msgid), strs in source.items():
        plural = (context, msgid) in plurals
        if context:
            got = compiled.pgettext(context, msgid)
        elif plural:
            got = compiled.ngettext(msgid, msgid + "s", 2)
        else:
            got = compiled.gettext(msgid)
        assert got == strs[0], f"{domain}.mo is older than {domain}.po: {msgid!r}"


def test_django_uses_our_catalog_first():
    with translation.override("zh-hans"):
        assert translation.gettext("New: %(model_name)s") % {"model_name": "政策文件"} == "新建政策文件"
        assert translation.gettext("Search all pages…") == "搜索…"
        assert translation.gettext("Go to the first error") == "转到第一处错误"


@pytest.mark.django_db
def test_admin_pages_are_chinese(client, admin_user):
    client.force_login(admin_user)
    page = client.get("/admin/interpretations/").content.decode()
    assert "There are no" not in page and "暂无政策解读" in page
    page = client.get("/admin/snippets/policies/policy/add/").content.decode()
    assert "New: " not in page and "新建政策文件" in page
    home = client.get("/admin/").content.decode()
    assert "Search all pages" not in home
