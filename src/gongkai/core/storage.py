"""Two storages (house rule 11): every stored file is private; a record that is public gets public copies.

- `default` (`PrivateStorage`, `GONGKAI_PRIVATE_MEDIA_ROOT`, default `var/private`): every file field writes here —
  attachments, interpretation media, identity proofs, reply letters, case documents, supervision evidence, seal
  images. It has no URL (`url()` raises NotImplementedError); its files are sent only by views that check the
  viewer (`serve_private_file`), through the front proxy's `X-Accel-Redirect`/`X-Sendfile` when configured.
- `public` (`PublicStorage`, `MEDIA_ROOT` = `var/media`, URL `MEDIA_URL` = `/media/`): copies of the files of
  public records under random names (`ab/ab3f…e1.pdf`), made and removed by `sync_public_files(owner, files,
  public=…)`. The view `public_media` serves a name only while its `PublicFile` row exists, with the type found
  at upload, `nosniff`, and `Content-Disposition: attachment` for anything outside a small inline list.

Apps call their own sync after every change of visibility (publish, unpublish, repeal, disclosure attribute):
`policies/files.py` for policies and interpretations. `gongkai sync-public-files` re-checks everything.
Nothing else under the data folder (`var/`: seal keys, mails, demo logins, logs, the database) is under either
root, and the system check `gongkai.E102` refuses settings in which a served root contains it.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage, storages
from django.http import FileResponse, Http404, HttpResponse
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property

from .uploads import content_type_for_name, is_inline_safe, safe_filename

logger = logging.getLogger(__name__)

PUBLIC_ALIAS = "public"
# Wagtail's image renditions (thumbnails) are written to the public storage by Wagtail itself (Wagtail serves
# images publicly by design); the public media view serves these folders without a PublicFile row.
OPEN_PREFIXES = ("images/",)
OPEN_TYPES = frozenset({"image/jpeg", "image/png"})


@deconstructible
class PrivateStorage(FileSystemStorage):
    """The private storage: outside every served path. Its `url()` is a signed, expiring link to the staff-only
    view `private_file`, which checks the viewer against the rule registered for the file's record
    (`register_private_file_rule`) before sending anything — so Wagtail's file widgets and admin pages can link to
    a file without making it public."""

    def __init__(self, location=None, **kwargs):
        super().__init__(location=location, base_url=None, **kwargs)

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.GONGKAI_PRIVATE_MEDIA_ROOT)

    def url(self, name):
        from django.urls import reverse

        return reverse("gongkai_private_file", args=[sign_private_name(name)])


@deconstructible
class PublicStorage(FileSystemStorage):
    """The public storage: MEDIA_ROOT, served at MEDIA_URL by `public_media`."""


# --- staff access to private files --------------------------------------------------------------------------

PRIVATE_LINK_SALT = "gongkai.core.storage.private-file"
PRIVATE_LINK_SECONDS = 12 * 3600


def sign_private_name(name: str) -> str:
    from django.core import signing

    return signing.dumps(name, salt=PRIVATE_LINK_SALT, compress=True)


def unsign_private_name(token: str) -> str | None:
    from django.core import signing

    try:
        return signing.loads(token, salt=PRIVATE_LINK_SALT, max_age=PRIVATE_LINK_SECONDS)
    except signing.BadSignature:
        return None


_RULES: list[dict] = []


def register_private_file_rule(
    model, field: str, rule, *, orphan_rule=None, download_name=None, prefix: str = ""
):
    """Who may open the files of `model.field` through `private_file`: `rule(user, obj) -> bool`.
    `orphan_rule(user) -> bool` decides for a file under `prefix` that no row points at (a file of a draft
    revision); without it such files are refused. `download_name(obj) -> str` names the download."""
    _RULES.append(
        {
            "model": model,
            "field": field,
            "rule": rule,
            "orphan_rule": orphan_rule,
            "download_name": download_name,
            "prefix": prefix,
        }  # fmt: skip
    )


def private_file_owner(name: str):
    """(rule entry, record) for the record that holds `name`, or (entry, None) for an orphan under a rule's
    prefix, or (None, None)."""
    ordered = sorted(_RULES, key=lambda e: not (e["prefix"] and name.startswith(e["prefix"])))
    for entry in ordered:
        obj = entry["model"]._default_manager.filter(**{entry["field"]: name}).first()
        if obj is not None:
            return entry, obj
    for entry in _RULES:
        if entry["prefix"] and name.startswith(entry["prefix"]):
            return entry, None
    return None, None


def user_may_open(user, name: str):
    """(allowed, entry, record) for a staff user and a private file name."""
    entry, obj = private_file_owner(name)
    if entry is None:
        return False, None, None
    if obj is None:
        orphan = entry["orphan_rule"]
        return bool(orphan and orphan(user)), entry, None
    return bool(entry["rule"](user, obj)), entry, obj


def private_file(request, token: str):
    """`/admin/files/<token>/`: a private file for a member of staff whom its record's rule lets see it."""
    from django.core.exceptions import PermissionDenied

    user = request.user
    if not (user.is_authenticated and user.is_active and user.has_perm("wagtailadmin.access_admin")):
        raise PermissionDenied
    name = unsign_private_name(token)
    if not name:
        raise Http404("链接无效或已过期，请刷新页面后重试")
    allowed, entry, obj = user_may_open(user, name)
    if not allowed:
        raise PermissionDenied
    download = None
    if obj is not None and entry["download_name"]:
        download = entry["download_name"](obj)
    ext = os.path.splitext(name)[1].lower().lstrip(".")
    download = safe_filename(download or os.path.basename(name), ext)
    return serve_file(request, private_storage(), name, download_name=download, inline=True, private=True)


def private_storage():
    return storages["default"]


def public_storage():
    return storages[PUBLIC_ALIAS]


# --- keeping public copies in step with their record ---------------------------------------------------------


def owner_key(owner) -> tuple[str, str]:
    return owner._meta.label_lower, str(owner.pk)


def _new_public_name(source_name: str) -> str:
    token = secrets.token_hex(16)
    ext = os.path.splitext(source_name)[1].lower()
    return f"{token[:2]}/{token}{ext}"


def _copy_to_public(source_name: str, public_name: str) -> None:
    try:
        with private_storage().open(source_name, "rb") as fh:
            saved = public_storage().save(public_name, fh)
        if saved != public_name:  # never: the name is random; but do not leave a stray file behind
            public_storage().delete(saved)
            logger.error("public copy of %s got name %s instead of %s", source_name, saved, public_name)
    except (OSError, SuspiciousFileOperation) as exc:
        logger.error("cannot make the public copy of %s: %s", source_name, exc)


def _delete_public(public_name: str) -> None:
    try:
        public_storage().delete(public_name)
    except (OSError, SuspiciousFileOperation) as exc:
        logger.error("cannot delete the public copy %s: %s", public_name, exc)


def sync_public_files(owner, files: Iterable[tuple[object, str]], *, public: bool) -> dict:
    """Makes the public copies of `owner` exactly `files` when `public`, none otherwise.

    `files` are (FieldFile, download name) pairs. Rows change in the caller's transaction; copies are made and
    removed at once (a copy left by a rolled-back transaction has no row and is never served; a row whose copy is
    missing is repaired by the next sync, e.g. `gongkai sync-public-files`). Returns {"added": n, "removed": n}."""
    from .models import PublicFile

    owner_type, owner_id = owner_key(owner)
    wanted = {}
    if public:
        for field_file, download_name in files:
            name = getattr(field_file, "name", "") or ""
            if name:
                wanted[name] = download_name
    existing = {
        row.source_name: row for row in PublicFile.objects.filter(owner_type=owner_type, owner_id=owner_id)
    }
    removed = [row for name, row in existing.items() if name not in wanted]
    for row in removed:
        row.delete()
        _delete_public(row.public_name)
    added = 0
    for name, download_name in wanted.items():
        ext = os.path.splitext(name)[1].lower().lstrip(".")
        download = (
            safe_filename(download_name, ext) if download_name else safe_filename(os.path.basename(name))
        )
        row = existing.get(name)
        if row is not None:
            if row.download_name != download:
                row.download_name = download
                row.save(update_fields=["download_name"])
            if not public_storage().exists(row.public_name):
                _copy_to_public(name, row.public_name)
            continue
        # A file moved from another record (rare): take it over.
        PublicFile.objects.filter(source_name=name).exclude(owner_type=owner_type, owner_id=owner_id).delete()
        try:
            size = private_storage().size(name)
        except OSError:
            logger.error("stored file %s of %s %s is missing; not published", name, owner_type, owner_id)
            continue
        row = PublicFile.objects.create(
            source_name=name,
            public_name=_new_public_name(name),
            owner_type=owner_type,
            owner_id=owner_id,
            download_name=download,
            content_type=content_type_for_name(name),
            size=size,
        )
        _copy_to_public(name, row.public_name)
        added += 1
    return {"added": added, "removed": len(removed)}


_SYNCS: list = []


def register_public_sync(func) -> None:
    """An app's function that re-checks the public copies of all its records (returns {"added", "removed"})."""
    if func not in _SYNCS:
        _SYNCS.append(func)


def sync_everything(*, remove_orphans: bool = True) -> dict:
    """`gongkai sync-public-files`: every registered app re-checks its records; copies without a row are deleted."""
    from .models import PublicFile

    totals = {"added": 0, "removed": 0, "orphans": 0}
    for func in _SYNCS:
        for key, value in func().items():
            totals[key] = totals.get(key, 0) + value
    if remove_orphans:
        storage = public_storage()
        known = set(PublicFile.objects.values_list("public_name", flat=True))
        root = Path(storage.location)
        if root.is_dir():
            for path in root.rglob("*"):
                name = path.relative_to(root).as_posix()
                if path.is_file() and not name.startswith(OPEN_PREFIXES) and name not in known:
                    path.unlink()
                    totals["orphans"] += 1
    return totals


def forget_owner(owner) -> None:
    """Removes every public copy of a deleted record."""
    sync_public_files(owner, [], public=False)


def public_url(field_file) -> str | None:
    """The public address of a stored file, or None while it is not public."""
    from .models import PublicFile

    name = getattr(field_file, "name", "") or ""
    if not name:
        return None
    row = PublicFile.objects.filter(source_name=name).only("public_name").first()
    return public_storage().url(row.public_name) if row else None


def public_urls(names: Iterable[str]) -> dict[str, str]:
    """{private name: public URL} for those of `names` that are public (one query)."""
    from .models import PublicFile

    names = [n for n in names if n]
    if not names:
        return {}
    storage = public_storage()
    return {
        row.source_name: storage.url(row.public_name)
        for row in PublicFile.objects.filter(source_name__in=names).only("source_name", "public_name")
    }


# --- sending files ----------------------------------------------------------------------------------------------

# A document the browser opens from our origin must not run anything or load anything.
FILE_CSP = "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'"


def content_disposition(download_name: str, *, inline: bool) -> str:
    """RFC 6266 header with an ASCII fallback and the UTF-8 name (Chinese file names)."""
    stem, ext = os.path.splitext(download_name)
    ascii_stem = stem.encode("ascii", "ignore").decode().strip(" .") or "file"
    ascii_name = ascii_stem + ext.encode("ascii", "ignore").decode()
    ascii_name = ascii_name.replace('"', "").replace("\\", "")
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(download_name)}"


def _secure_headers(response, content_type: str, download_name: str, *, inline: bool, private: bool):
    inline = inline and is_inline_safe(content_type)
    response["Content-Type"] = content_type
    response["Content-Disposition"] = content_disposition(download_name, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    csp = FILE_CSP if content_type.startswith("application/pdf") else FILE_CSP + "; sandbox"
    response["Content-Security-Policy"] = csp
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store" if private else "public, max-age=3600"
    if private:
        response["Referrer-Policy"] = "no-referrer"
    return response


def sendfile_backend() -> str:
    return (getattr(settings, "GONGKAI_SENDFILE", "") or "").strip().lower()


def serve_file(request, storage, name: str, *, download_name: str, content_type: str | None = None,
               inline: bool = False, private: bool = True):  # fmt: skip
    """Sends a stored file. With `GONGKAI_SENDFILE=nginx` the proxy sends it (`X-Accel-Redirect` to
    `GONGKAI_SENDFILE_PRIVATE_PREFIX`/`…_PUBLIC_PREFIX` + name); with `apache` (`X-Sendfile`, also lighttpd) by
    absolute path; otherwise Django streams it. Raises Http404 when the file is missing."""
    content_type = content_type or content_type_for_name(name)
    try:
        exists = storage.exists(name)
    except SuspiciousFileOperation:
        raise Http404
    if not exists:
        raise Http404
    backend = sendfile_backend()
    if backend in ("nginx", "x-accel-redirect"):
        prefix_setting = "GONGKAI_SENDFILE_PRIVATE_PREFIX" if private else "GONGKAI_SENDFILE_PUBLIC_PREFIX"
        prefix = getattr(settings, prefix_setting, "/_private/" if private else "/_public/").rstrip("/")
        response = HttpResponse()
        response["X-Accel-Redirect"] = f"{prefix}/{quote(name)}"
    elif backend in ("apache", "x-sendfile", "lighttpd"):
        response = HttpResponse()
        response["X-Sendfile"] = storage.path(name)
    else:
        response = FileResponse(storage.open(name, "rb"))
        try:
            response["Content-Length"] = str(storage.size(name))
        except OSError:
            pass
    return _secure_headers(response, content_type, download_name, inline=inline, private=private)


def serve_private_file(request, field_file, *, download_name: str | None = None, inline: bool = False):
    """Sends a file of the private storage. Call it only after checking that `request.user` may see it."""
    if not field_file or not field_file.name:
        raise Http404
    name = field_file.name
    ext = os.path.splitext(name)[1].lower().lstrip(".")
    download = safe_filename(download_name or os.path.basename(name), ext)
    return serve_file(request, field_file.storage, name, download_name=download, inline=inline, private=True)


def public_media(request, name: str):
    """`MEDIA_URL<name>`: a public copy (see `sync_public_files`), under any settings, DEBUG off included."""
    from .models import PublicFile

    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
    row = PublicFile.objects.filter(public_name=name).first()
    storage = public_storage()
    if row is not None:
        return serve_file(
            request,
            storage,
            row.public_name,
            download_name=row.download_name,
            content_type=row.content_type,
            inline=True,
            private=False,
        )
    if name.startswith(OPEN_PREFIXES) and ".." not in Path(name).parts:
        content_type = content_type_for_name(name)
        if content_type in OPEN_TYPES:
            return serve_file(
                request, storage, name, download_name=os.path.basename(name), content_type=content_type,
                inline=True, private=False,
            )  # fmt: skip
    raise Http404


def served_roots() -> list[Path]:
    roots = [Path(settings.MEDIA_ROOT)]
    if getattr(settings, "STATIC_ROOT", None):
        roots.append(Path(settings.STATIC_ROOT))
    return [r.resolve() for r in roots]
