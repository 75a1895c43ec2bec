"""Periodic jobs run by `gongkai worker`. Apps register idempotent functions here in their `AppConfig.ready`."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable


@dataclasses.dataclass(frozen=True)
class PeriodicJob:
    name: str
    func: Callable[[], object]
    every_minutes: int
    description: str = ""


_JOBS: dict[str, PeriodicJob] = {}


def register_job(
    name: str, func: Callable[[], object], *, every_minutes: int = 60, description: str = ""
) -> None:
    _JOBS[name] = PeriodicJob(name, func, every_minutes, description)


def registered_jobs() -> list[PeriodicJob]:
    return sorted(_JOBS.values(), key=lambda j: j.name)
