"""How the suite shares out over pytest-xdist workers (``make test`` runs ``-n 2 --dist
loadgroup``).

A test that uses a fixture wider than a function (a uvicorn server, a ``python -m demo``
process, Redis, Chromium, a bench run, an event loop per module) runs on the worker that
runs the rest of its module, so that fixture is set up once, not once per worker. Modules
listed in :data:`SERIAL` share one group, hence one worker and one at a time: they start
process trees that each want the whole machine. Everything else is handed out test by
test. Without xdist the groups change nothing.

xdist hands tests out by node id, so two tests with one id would run as one: every id is
made unique here (Schemathesis gives each operation's test its function's id), and a run
whose ids still collide is stopped.
"""

from __future__ import annotations

import pytest

#: modules whose process trees must not run beside each other: the wrk benchmarks, the two
#: Chromium tests and the multi-worker serving test
SERIAL = frozenset(
    {
        "tests/bench/test_bench_smoke.py",
        "tests/bench/test_cold_vs_floor_smoke.py",
        "tests/e2e/test_e2e_cors_chromium.py",
        "tests/e2e/test_e2e_playground_chromium.py",
        "tests/deploy/test_deploy_serving.py",
    }
)
SERIAL_GROUP = "serial-process-trees"


def _shares_a_fixture(item: pytest.Item) -> bool:
    """Whether the test uses one of the suite's own fixtures scoped wider than a test
    (pytest's built-ins, such as ``tmp_path_factory``, are cheap and do not count)."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    for definitions in info.name2fixturedefs.values():
        for definition in definitions:
            if definition.scope != "function" and definition.baseid.startswith("tests"):
                return True
    return False


def _is_module_loop(item: pytest.Item) -> bool:
    """pytest-asyncio's ``loop_scope="module"``: the module's tests share one event loop."""
    return any(
        mark.kwargs.get("loop_scope", "function") != "function"
        for mark in item.iter_markers("asyncio")
    )


def _group(item: pytest.Item) -> str | None:
    marked = item.get_closest_marker("xdist_group")
    if marked is not None:
        return str(marked.args[0] if marked.args else marked.kwargs.get("name", "default"))
    module = item.nodeid.split("::", 1)[0]
    if module in SERIAL:
        return SERIAL_GROUP
    if _shares_a_fixture(item) or _is_module_loop(item):
        return module
    return None


def _set_node_id(item: pytest.Item, nodeid: str) -> None:
    """pytest 9.2 keeps the id as a structured ``_id`` (the ``_nodeid`` that xdist's own
    group suffix still sets is read by nothing), older ones as the string ``_nodeid``."""
    if hasattr(item, "_id"):
        from _pytest.nodeid import coerce_node_id

        item._id = coerce_node_id(nodeid)
    else:
        item._nodeid = nodeid


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        module, _, rest = item.nodeid.partition("::")
        if rest and "::" not in rest and rest != item.name:  # Schemathesis: test[GET /path]
            _set_node_id(item, f"{module}::{item.name}")
    seen: set[str] = set()
    shared = sorted({i.nodeid for i in items if i.nodeid in seen or seen.add(i.nodeid)})
    if shared:
        raise pytest.UsageError(f"tests share a node id (xdist would run one): {shared[:5]}")
    if not getattr(config.option, "loadgroup", False):
        return  # not an xdist worker under --dist loadgroup (xdist's own flag for them)
    for item in items:
        group = _group(item)
        if group is not None:  # xdist's scheduler groups by what follows the last "@"
            _set_node_id(item, f"{item.nodeid}@{group}")
