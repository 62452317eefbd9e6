"""Metrics of state one process keeps (the cache's counters, the breakers, the shared tier,
the process itself), copied into ordinary counters and gauges instead of being computed by
a custom collector at scrape time.

Why: with several workers, prometheus-client's multiprocess mode (:mod:`.multiprocess`)
sums what each worker wrote to its files; a custom collector runs only in the worker that
happens to answer the scrape, so it would show that one worker. Each worker therefore
copies its readings into file-backed metrics: after every request it served (what changed
did so during a request) and before any read of the registry. Counters advance by the
change since the last copy, so they sum across workers; each gauge says how its workers
combine (``livesum``: the entries of all live workers; ``livemin`` for ``cg_redis_up``: 0
while any worker sees Redis down). One reading is by the clock, not by a request: a breaker
whose cooldown has passed reads half-open in the worker's next copy.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from typing import Literal

from prometheus_client import CollectorRegistry, Counter, Gauge
from prometheus_client.core import Metric
from prometheus_client.process_collector import ProcessCollector

__all__ = ["Reading", "StateMetrics"]

#: (metric name, label values, value) as a source reads it now
Reading = tuple[str, tuple[str, ...], float]
GaugeMode = Literal["livesum", "livemin", "livemax"]

#: seconds between copies of the process's own readings (they cost a few /proc reads)
PROCESS_EVERY = 1.0

#: how each ``process_*`` gauge combines across workers
_PROCESS_GAUGES: dict[str, GaugeMode] = {
    "process_virtual_memory_bytes": "livesum",
    "process_resident_memory_bytes": "livesum",
    "process_open_fds": "livesum",
    "process_max_fds": "livemax",
    "process_start_time_seconds": "livemin",
}


class StateMetrics:
    """Copies readings from sources into metrics of :attr:`registry`; :meth:`copy` is cheap
    when nothing changed (a comparison per series)."""

    def __init__(self, registry: CollectorRegistry, clock: Callable[[], float] = time.monotonic):
        self._registry = registry
        self._clock = clock
        self._sources: list[Callable[[], Iterable[Reading]]] = []
        self._counters: dict[str, Counter] = {}
        self._gauges: dict[str, Gauge] = {}
        self._last: dict[tuple[str, tuple[str, ...]], float] = {}
        self._process: ProcessCollector | None = None
        self._process_copied_at = float("-inf")
        # first in the registry: every read of it (a scrape, a test) sees fresh copies
        registry.register(_CopyBeforeRead(self))

    def counter(self, name: str, documentation: str, labels: Sequence[str] = ()) -> None:
        self._counters[name] = Counter(name, documentation, labels, registry=self._registry)

    def gauge(
        self,
        name: str,
        documentation: str,
        labels: Sequence[str] = (),
        mode: GaugeMode = "livesum",
    ) -> None:
        self._gauges[name] = Gauge(
            name, documentation, labels, registry=self._registry, multiprocess_mode=mode
        )

    def source(self, read: Callable[[], Iterable[Reading]]) -> None:
        self._sources.append(read)
        self.copy()

    def include_process(self) -> None:
        """``process_*`` per worker, combined as :data:`_PROCESS_GAUGES` says (multiprocess
        mode has no process collector of its own)."""
        self._process = ProcessCollector(registry=None)
        self.counter("process_cpu_seconds", "User and system CPU time of the workers, seconds.")
        for name, mode in _PROCESS_GAUGES.items():
            self.gauge(name, f"{name} of the workers ({mode}).", mode=mode)
        self.copy(everything=True)

    def copy(self, *, everything: bool = False) -> None:
        """Copy every source's readings (and the process's, at most every second unless
        ``everything``)."""
        for read in self._sources:
            for reading in read():
                self._put(reading)
        if self._process is not None:
            now = self._clock()
            if everything or now - self._process_copied_at >= PROCESS_EVERY:
                self._process_copied_at = now
                for family in self._process.collect():
                    for sample in family.samples:
                        name = sample.name.removesuffix("_total")
                        self._put((name, (), sample.value))

    def _put(self, reading: Reading) -> None:
        name, labels, value = reading
        key = (name, labels)
        last = self._last.get(key)
        if last == value:
            return
        self._last[key] = value
        counter = self._counters.get(name)
        if counter is not None:
            if last is None or value > last:  # never back; if a source were reset, from there
                (counter.labels(*labels) if labels else counter).inc(value - (last or 0.0))
            return
        gauge = self._gauges[name]
        (gauge.labels(*labels) if labels else gauge).set(value)


class _CopyBeforeRead:
    """A collector of nothing, registered first, that brings the copies up to date."""

    def __init__(self, state: StateMetrics) -> None:
        self._state = state

    def describe(self) -> Iterable[Metric]:
        return ()  # keeps registration from collecting

    def collect(self) -> Iterable[Metric]:
        self._state.copy(everything=True)
        return ()
