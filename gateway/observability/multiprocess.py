"""One coherent ``/metrics`` with several workers: prometheus-client's multiprocess mode.

Every worker writes its metrics to memory-mapped files in one directory, and whichever
worker answers a scrape renders what all of them wrote (:meth:`GatewayMetrics.render`).
The supervisor names the directory in ``PROMETHEUS_MULTIPROC_DIR`` before it spawns the
workers (:func:`worker_metrics_dir`): prometheus-client reads that variable once, when a
process first imports it. A directory the operator chose is emptied at start whatever the
number of workers (:func:`empty_named_dir`; one process uses the files too when the
variable is set, and files of an earlier run would be counted again); otherwise a temporary
one is made for several workers and removed at exit.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = [
    "MULTIPROC_DIR_ENV",
    "empty_named_dir",
    "multiprocess_dir",
    "worker_gone",
    "worker_metrics_dir",
]

MULTIPROC_DIR_ENV = "PROMETHEUS_MULTIPROC_DIR"


def multiprocess_dir() -> Path | None:
    """The shared directory when this process is one of several workers, else None."""
    named = os.environ.get(MULTIPROC_DIR_ENV)
    return Path(named) if named else None


def empty_named_dir() -> Path | None:
    """The directory ``PROMETHEUS_MULTIPROC_DIR`` names, made if missing and emptied of an
    earlier run's files (else its series would be summed into this run's); None when the
    variable is not set. Call before any metric is made: a metric opens its file then."""
    named = multiprocess_dir()
    if named is None:
        return None
    named.mkdir(parents=True, exist_ok=True)
    for stale in named.glob("*.db"):
        stale.unlink()
    return named


@contextmanager
def worker_metrics_dir() -> Iterator[Path]:
    """For the supervisor, around the workers' whole life: the directory, set in the
    environment the workers inherit."""
    named = empty_named_dir()
    if named is not None:
        yield named
        return
    made = Path(tempfile.mkdtemp(prefix="cg-metrics-"))
    os.environ[MULTIPROC_DIR_ENV] = str(made)
    try:
        yield made
    finally:
        os.environ.pop(MULTIPROC_DIR_ENV, None)
        shutil.rmtree(made, ignore_errors=True)


def worker_gone(pid: int) -> None:
    """Drop a dead worker's live gauges (its counters still count)."""
    from prometheus_client import multiprocess

    if multiprocess_dir() is not None:
        multiprocess.mark_process_dead(pid)  # type: ignore[no-untyped-call]
