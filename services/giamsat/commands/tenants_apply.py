"""`giamsat tenants apply`: validate every manifest, upgrade the shared schema once, then apply
the tenants — in this process, or `--jobs` worker processes at a time.

Tenants share nothing below the registry, so applying several at once is safe; each tenant is
its own transaction(s) as in `apply_manifest_file`. Worker processes (not threads: Alembic keeps
its context in module globals) are forked from the command, so they start with the code
imported, and each applies many tenants.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import click

from giamsat.core.config import Settings

DEFAULT_JOBS = 2


@dataclass
class TenantOutcome:
    """What applying one manifest gave: its output lines, or the error that stopped it."""

    slug: str
    lines: list[str] = field(default_factory=list)
    report_lines: list[str] = field(default_factory=list)
    units: int = 0
    seconds: float = 0.0
    error: str | None = None


def load_all(paths: Sequence[Path]) -> tuple[list, list[str]]:
    """Parse and check every file; returns (manifests, problems), every problem one line."""
    from giamsat.domains import rule_specs
    from giamsat.tenancy.manifest import ManifestError, load_manifest
    from giamsat.units.desired import check_manifest

    specs = rule_specs()
    manifests, problems = [], []
    for path in paths:
        try:
            manifest = load_manifest(path, rules=specs)
            check_manifest(manifest)
        except ManifestError as error:
            problems.append(str(error))
        else:
            manifests.append(manifest)
    for attr, what in (("slug", "slug"), ("province_code", "province_code")):
        values = [getattr(m, attr) for m in manifests]
        for value in sorted({v for v in values if values.count(v) > 1}):
            problems.append(f"{what} {value!r} appears in more than one manifest")
    return manifests, problems


def manifest_paths(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.toml"))


def _report_lines(report) -> list[str]:
    lines = [f"  done: {report.summary()}"]
    lines += [
        f"  kept (not in the manifest or the official data): {x}" for x in report.absent_units
    ]
    lines += [
        f"  kept without successor (marked, to be settled): {x}" for x in report.without_successor
    ]
    lines += [f"  kept level not in the manifest: {code}" for code in report.absent_levels]
    lines += [f"  kept rule changed by an admin: {key}" for key in report.kept_overridden_rules]
    lines += [f"  kept rule unknown to this version: {key}" for key in report.unknown_rules]
    return lines


def apply_one(engine, settings: Settings, manifest, echo: Callable[[str], None]) -> TenantOutcome:
    """Apply one manifest; a failure is returned, not raised, so the other tenants go on."""
    from giamsat.commands.tenants import apply_manifest_file
    from giamsat.tenancy.manifest import ManifestError

    started = time.perf_counter()
    outcome = TenantOutcome(manifest.slug)
    try:
        report = apply_manifest_file(engine, settings, manifest, echo=echo)
    except ManifestError as error:
        outcome.error = str(error)
    except Exception as error:  # noqa: BLE001 — reported with the tenant's name, others go on
        outcome.error = f"{manifest.path}: {type(error).__name__}: {error}"
    else:
        outcome.units = report.unit_count
        outcome.report_lines = _report_lines(report)
    outcome.seconds = time.perf_counter() - started
    return outcome


# --- worker processes -------------------------------------------------------------------------

_worker: dict = {}


def _start_worker(settings: Settings) -> None:
    from sqlalchemy import create_engine

    from giamsat.domains import load_models

    load_models()
    _worker["settings"] = settings
    # A worker applies many tenants one after another: keep its few connections open.
    _worker["engine"] = create_engine(settings.database_url, pool_size=2, max_overflow=2)


def _apply_in_worker(manifest) -> TenantOutcome:
    lines: list[str] = []
    outcome = apply_one(_worker["engine"], _worker["settings"], manifest, lines.append)
    outcome.lines = lines
    return outcome


# --- the whole run ----------------------------------------------------------------------------


def _header(number: int, total: int, manifest) -> str:
    return (
        f"[{number}/{total}] {manifest.path} → {manifest.slug} "
        f"({manifest.name}, province code {manifest.province_code})"
    )


def _progress(done: int, total: int, outcome: TenantOutcome) -> str:
    if outcome.error is not None:
        return f"{done}/{total} {outcome.slug}: FAILED, {outcome.seconds:.1f} s"
    return f"{done}/{total} {outcome.slug}: {outcome.units} units, {outcome.seconds:.1f} s"


def apply_all(settings: Settings, manifests: Sequence, *, jobs: int = DEFAULT_JOBS) -> list:
    """Upgrade the shared schema, then apply every (validated) manifest; details on stdout,
    one progress line per finished tenant on stderr. Returns the failed outcomes."""
    from sqlalchemy import create_engine

    from giamsat.domains import load_models
    from giamsat.tenancy.migrations import upgrade_shared

    def progress(line: str) -> None:
        click.echo(line, err=True)

    load_models()
    if any(m.history.pre_2025 for m in manifests):
        from giamsat.units import pre2025

        pre2025.load()  # parsed once here; the forked workers inherit it
    total = len(manifests)
    failed: list[TenantOutcome] = []
    # Pooled: a sequential run connects a few times per tenant. Disposed before any fork.
    engine = create_engine(settings.database_url, pool_size=2, max_overflow=2)
    try:
        upgrade_shared(engine, settings.migrations_dir)
        if jobs <= 1 or total <= 1:
            for number, manifest in enumerate(manifests, start=1):
                click.echo(_header(number, total, manifest))
                outcome = apply_one(engine, settings, manifest, click.echo)
                _finish(outcome, number, total, progress, failed)
            return failed
    finally:
        engine.dispose()
    # Forked workers start with everything already imported (the models, the official data);
    # the parent holds no connection or thread at this point. Spawn where fork is missing.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    numbers = {m.slug: n for n, m in enumerate(manifests, start=1)}
    with ProcessPoolExecutor(
        max_workers=min(jobs, total),
        mp_context=context,
        initializer=_start_worker,
        initargs=(settings,),
    ) as pool:
        futures = {pool.submit(_apply_in_worker, m): m for m in manifests}
        for done, future in enumerate(as_completed(futures), start=1):
            manifest = futures[future]
            try:
                outcome = future.result()
            except Exception as error:  # noqa: BLE001 — a worker that died
                outcome = TenantOutcome(manifest.slug, error=f"{manifest.path}: {error}")
            # Each tenant's lines together, headed as in a sequential run.
            click.echo(_header(numbers[manifest.slug], total, manifest))
            for line in outcome.lines:
                click.echo(line)
            _finish(outcome, done, total, progress, failed)
    return failed


def _finish(outcome: TenantOutcome, done: int, total: int, progress, failed: list) -> None:
    progress(_progress(done, total, outcome))
    for line in outcome.report_lines:
        click.echo(line)
    if outcome.error is not None:
        click.echo(f"  FAILED: {outcome.error}")
        failed.append(outcome)


@click.command(
    "apply",
    help="Create or update tenants from manifest files (tenants/*.toml), or every manifest of "
    "a folder with --all. Every file is validated before anything is applied.",
)
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--all", "all_", is_flag=True, help="Apply every *.toml of --dir.")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("tenants"),
    show_default=True,
    help="Folder of the manifests for --all.",
)
@click.option("--check", is_flag=True, help="Only validate the manifests; change nothing.")
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=DEFAULT_JOBS,
    show_default=True,
    help="Tenants applied at once (worker processes) when there are several.",
)
def apply(paths: tuple[Path, ...], all_: bool, directory: Path, check: bool, jobs: int) -> None:
    if all_ and paths:
        raise click.UsageError("give manifest files or --all, not both")
    if all_:
        if not directory.is_dir():
            raise click.ClickException(f"{directory} is not a folder")
        paths = tuple(manifest_paths(directory))
        if not paths:
            raise click.ClickException(f"no *.toml manifests in {directory}")
    if not paths:
        raise click.UsageError("give one or more manifest files, or --all")
    manifests, problems = load_all(paths)
    if problems:
        raise click.ClickException("invalid manifest, nothing applied:\n" + "\n".join(problems))
    if check:
        click.echo(f"{len(manifests)} manifest(s) valid")
        return
    started = time.perf_counter()
    failed = apply_all(Settings.from_env(), manifests, jobs=jobs)
    elapsed = time.perf_counter() - started
    if len(manifests) > 1:
        applied = len(manifests) - len(failed)
        click.echo(f"{applied}/{len(manifests)} applied in {elapsed:.1f} s", err=True)
    if failed:
        raise click.ClickException(
            f"{len(failed)} tenant(s) failed: " + ", ".join(o.slug for o in failed)
        )
