"""Reading settings from the environment (house rule 5)."""

import os


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ValueError(f"环境变量 {name} 必须是整数，实际为 {value!r}") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if value in (None, ""):
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_json(name: str, default=None):
    """A JSON object from the environment (e.g. per-name limits)."""
    import json

    value = os.environ.get(name)
    if value in (None, ""):
        return default if default is not None else {}
    try:
        parsed = json.loads(value)
    except ValueError as exc:
        raise ValueError(f"环境变量 {name} 必须是JSON对象") from exc
    if not isinstance(parsed, dict):
        raise ValueError(f"环境变量 {name} 必须是JSON对象")
    return parsed
