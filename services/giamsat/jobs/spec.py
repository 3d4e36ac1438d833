"""What a job is: its dotted name, queue and kind, and the plain arguments it accepts."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

#: Attribute the decorators put on the function RQ imports.
SPEC_ATTR = "__giamsat_job__"
#: Keyword names the runtime passes itself; a job's own ids may not use them.
RESERVED_ARGS = frozenset({"tenant_id", "_outbox_id"})


class UnknownJob(LookupError):
    pass


@dataclass(frozen=True)
class JobSpec:
    #: Dotted import path RQ uses to find the job, e.g. "giamsat.reports.jobs.reaggregate".
    name: str
    #: Default queue; `record_job(queue=…)` may pick another.
    queue: str
    #: True for `@tenant_job` (runs inside one tenant), False for `@platform_job`.
    per_tenant: bool


def spec_for(name: str) -> JobSpec:
    """The spec of the job at dotted path `name`; raises UnknownJob for anything else."""
    module_name, _, attr = name.rpartition(".")
    if not module_name:
        raise UnknownJob(f"job name must be a dotted path: {name!r}")
    try:
        target = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as error:
        raise UnknownJob(f"no job named {name!r}") from error
    spec = getattr(target, SPEC_ATTR, None)
    if not isinstance(spec, JobSpec) or spec.name != name:
        raise UnknownJob(f"{name!r} is not declared with @tenant_job or @platform_job")
    return spec


def _is_plain(value: Any) -> bool:
    if value is None or isinstance(value, (bool, int, str)):
        return not isinstance(value, str) or len(value) <= 200
    if isinstance(value, (list, tuple)):
        return len(value) <= 1000 and all(
            v is None or isinstance(v, (bool, int, str)) for v in value
        )
    return False


def plain_args(ids: dict[str, Any]) -> dict[str, Any]:
    """Check job arguments are plain ids (ints, short strings, lists of them) — never ORM
    objects, which would be stale or detached by the time a worker runs."""
    for key, value in ids.items():
        if key in RESERVED_ARGS:
            raise TypeError(f"job argument name {key!r} is reserved")
        if not _is_plain(value):
            raise TypeError(
                f"job argument {key}={type(value).__name__} must be a plain id (int or short str)"
            )
    return {k: list(v) if isinstance(v, tuple) else v for k, v in ids.items()}
