"""Wagtail's document and image libraries through the one upload validator (settings
`WAGTAILDOCS_DOCUMENT_FORM_BASE`, `WAGTAILIMAGES_IMAGE_FORM_BASE`)."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from .uploads import validate_upload


def _validated(form, kind: str):
    upload = form.cleaned_data.get("file")
    if isinstance(upload, UploadedFile):
        validate_upload(upload, kind)
    return upload


class ValidatedDocumentForm(BaseDocumentForm):
    def clean_file(self):
        return _validated(self, "wagtail.document")


class ValidatedImageForm(BaseImageForm):
    def clean_file(self):
        return _validated(self, "wagtail.image")
