"""The two storages on S3-compatible object storage (`GONGKAI_S3_BUCKET`, docs/scaling.md).

Same roles as `core.storage.PrivateStorage` / `PublicStorage`: the objects are private in the bucket; a private
file's URL is our signed, permission-checked link (never a presigned bucket URL that anyone holding it could open),
a public copy's URL is `MEDIA_URL<name>`, served by `core.storage.public_media`, which streams it from the bucket.
django-storages is the optional extra `gongkai[s3]`; this module is imported only when the settings name it.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.deconstruct import deconstructible
from storages.backends.s3 import S3Storage


@deconstructible
class PrivateS3Storage(S3Storage):
    def url(self, name, parameters=None, expire=None, http_method=None):
        from django.urls import reverse

        from .storage import sign_private_name

        return reverse("gongkai_private_file", args=[sign_private_name(name)])


@deconstructible
class PublicS3Storage(S3Storage):
    def url(self, name, parameters=None, expire=None, http_method=None):
        return f"{settings.MEDIA_URL}{name}"
