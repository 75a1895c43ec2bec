"""The search backend used by Wagtail (admin), the portal and the API: picks the implementation for the
default database's vendor."""

from modelsearch.backends.database import SearchBackend  # noqa: F401
