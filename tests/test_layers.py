"""Layers call one way: HTTP app (``gateway``) → ``schema`` → ``resolvers`` → loaders →
read cache (``cache``) → vendor clients (``vendors``) → vendors; the demo composes the
gateway with the sandboxes, and nothing below it imports either.

The graph is read with ``ast`` from every module of the product packages (``gateway``,
``schema``, ``resolvers``, ``cache``, ``vendors``) and of ``demo`` and ``sandbox``; imports
inside functions count, and so does ``importlib.import_module`` of a literal name: deferring
an import does not remove the dependency. A ``strawberry.lazy("module")`` reference is not an
import of code: Strawberry resolves the type it names while the schema is built, from
``schema.root``, which imports both ends anyway.

Imports under ``if TYPE_CHECKING:`` count for the layering rules (an annotation naming a
type of a higher layer still couples the layers), and, among the product packages and the
demo, for cycles too: a cycle that exists only in annotations still means two modules
cannot be read, tested or moved apart. Where a lower module only needs to name a higher
one's type, it names a protocol of its own instead (``schema.customer_ref.CustomerNode``,
``gateway.request_state.OperationOutcome``, ``resolvers.loaders.base.RequestLoaders``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.import_graph import (
    Import,
    LayerRule,
    cycle_report,
    cycles,
    import_graph,
    layer_violations,
    package_init_imports,
    read_imports,
)

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("gateway", "schema", "resolvers", "cache", "vendors")
PACKAGES = (*PRODUCT, "demo", "sandbox")

RULES = (
    LayerRule("the product never imports the sandboxes or the demo", PRODUCT, ("sandbox", "demo")),
    LayerRule(
        "the vendor clients import nothing of the layers above them",
        ("vendors",),
        ("gateway", "schema", "resolvers", "cache"),
    ),
    LayerRule(
        "the read cache imports nothing of the HTTP app, schema or resolvers",
        ("cache",),
        ("gateway", "schema", "resolvers"),
    ),
    LayerRule("resolvers never import schema", ("resolvers",), ("schema",)),
    LayerRule(
        "the limits never import resolvers or schema", ("gateway.limits",), ("resolvers", "schema")
    ),
    LayerRule(
        "the sandboxes never import the gateway or the demo",
        ("sandbox",),
        ("gateway", "schema", "resolvers", "cache", "vendors", "demo"),
    ),
)


@pytest.fixture(scope="module")
def graph() -> list[Import]:
    return import_graph(ROOT, PACKAGES)


def test_the_graph_is_read_from_every_package(graph: list[Import]) -> None:
    sources = {edge.source.split(".")[0] for edge in graph}

    assert set(PACKAGES) <= sources
    # the demo runs the gateway's serving code and the sandboxes' apps
    assert {"gateway.serving", "sandbox.registry"} <= {
        e.target for e in graph if e.source == "demo.serving"
    }


def test_no_import_cycle_among_the_modules(graph: list[Import]) -> None:
    edges = [e for e in graph if not e.type_checking]
    found = cycles(edges)

    assert found == [], "import cycles:\n" + cycle_report(found, edges)


def test_no_import_cycle_among_the_product_modules_even_in_annotations(
    graph: list[Import],
) -> None:
    product = (*PRODUCT, "demo")
    edges = [e for e in graph if _in(e.source, product) and _in(e.target, product)]

    found = cycles(edges)

    assert found == [], "import cycles (counting TYPE_CHECKING):\n" + cycle_report(found, edges)


def _in(module: str, packages: tuple[str, ...]) -> bool:
    return module.split(".")[0] in packages


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_imports_follow_the_layers(graph: list[Import], rule: LayerRule) -> None:
    assert layer_violations(graph, [rule]) == []


# --- the checker itself, on tiny synthetic modules: each check can fail ---

KNOWN = [
    "gateway",
    "gateway.app",
    "gateway.limits",
    "gateway.limits.cost",
    "vendors.talon.client",
    "cache.store",
    "resolvers",
    "resolvers.offset_cursor",
    "schema",
    "schema.customer",
    "sandbox.demo_world",
    "demo.serving",
]


def test_the_reader_counts_deferred_imports_and_marks_type_checking_ones() -> None:
    source = (
        "from __future__ import annotations\n"
        "from typing import TYPE_CHECKING\n"
        "import gateway.app\n"
        "if TYPE_CHECKING:\n"
        "    from schema.customer import Customer\n"
        "else:\n"
        "    from gateway import limits\n"
        "def later():\n"
        "    from sandbox.demo_world import demo_world\n"
        "    from . import cost\n"
        "    from .. import app\n"
        "    import json\n"
        "class Later:\n"
        "    def method(self):\n"
        "        return importlib.import_module('resolvers.offset_cursor')\n"
        "def by_name():\n"
        "    return __import__('demo.serving'), import_module(name)\n"
    )

    found = read_imports("gateway.limits.budget", source, KNOWN)

    assert {(e.target, e.type_checking) for e in found} == {
        ("gateway.app", False),
        ("schema.customer", True),
        ("gateway.limits", False),
        ("sandbox.demo_world", False),
        ("gateway.limits.cost", False),
        ("resolvers.offset_cursor", False),
        ("demo.serving", False),
    }


def test_importing_a_module_runs_the_inits_of_the_packages_above_it() -> None:
    written = [
        Import("x", "p.q.r", 3),
        Import("p.q.s", "p.q.r", 4),  # inside p.q: p and p.q are being imported already
        Import("p.t", "p.q.r", 5, type_checking=True),  # inside p: only p.q runs
        Import("x", "flat.module", 6),  # flat is a namespace folder, no __init__
        Import("y", "p.q", 7),  # a package itself: only p above it
    ]

    found = package_init_imports(written, ["p", "p.q"])

    assert found == [
        Import("p.t", "p.q", 5, type_checking=True, implicit=True),
        Import("x", "p", 3, implicit=True),
        Import("x", "p.q", 3, implicit=True),
        Import("y", "p", 7, implicit=True),
    ]
    assert found[1].describe() == "x:3 imports p (package __init__ runs)"


def test_a_cycle_through_a_package_init_is_found_and_reported(tmp_path: Path) -> None:
    files = {
        "p/__init__.py": "from p.heavy import Heavy\n",  # re-exports its parts
        "p/heavy.py": "from x.user import use\n",
        "p/light.py": "",
        "x/__init__.py": "",
        "x/user.py": "from p.light import LIGHT\nuse = 1\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(text)

    edges = import_graph(tmp_path, ["p", "x"])
    found = cycles(edges)

    assert found == [["p", "p.heavy", "x.user"]]
    assert "x.user:1 imports p (package __init__ runs)" in cycle_report(found, edges)
    (tmp_path / "p/__init__.py").write_text('"""Imports nothing."""\n')
    assert cycles(import_graph(tmp_path, ["p", "x"])) == []


def _edges(*pairs: tuple[str, str]) -> list[Import]:
    return [Import(a, b, 1) for a, b in pairs]


def test_cycles_finds_strongly_connected_components_only() -> None:
    edges = _edges(
        ("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "e"), ("e", "d"), ("f", "a")
    )

    assert cycles(edges) == [["a", "b", "c"], ["d", "e"]]
    assert cycles(_edges(("a", "b"), ("b", "c"), ("a", "c"))) == []


@pytest.mark.parametrize(
    ("source", "target", "broken"),
    [
        ("gateway.app", "sandbox.demo_world", RULES[0].name),
        ("resolvers.customers", "demo.tenants", RULES[0].name),
        ("vendors.talon.client", "resolvers.offset_cursor", RULES[1].name),
        ("vendors.resilience.talon_writes", "cache.keys", RULES[1].name),
        ("vendors.http", "gateway.settings", RULES[1].name),
        ("cache.store", "schema.customer", RULES[2].name),
        ("cache.read_through", "gateway.response_cache", RULES[2].name),
        ("resolvers.customers", "schema.customer", RULES[3].name),
        ("gateway.limits.cost", "resolvers.offset_cursor", RULES[4].name),
        ("sandbox.registry", "gateway.settings", RULES[5].name),
        ("sandbox.registry", "vendors.talon.models", RULES[5].name),
    ],
)
def test_each_rule_fails_on_an_import_against_it(source: str, target: str, broken: str) -> None:
    found = layer_violations(_edges((source, target)), RULES)

    assert [line.split(":")[0] for line in found] == [broken]


def test_imports_along_the_layers_break_no_rule() -> None:
    along = _edges(
        ("gateway.app", "schema"),
        ("schema.customer", "resolvers.customers"),
        ("resolvers.customers", "vendors.talon.client"),
        ("gateway.limits.cost", "vendors.page_size"),
        ("resolvers.offset_cursor", "vendors.page_size"),
        ("demo.serving", "sandbox.registry"),
        ("demo.serving", "gateway.serving"),
        ("vendors_extra", "schema"),  # a sibling named alike is not under the rule
        ("cache.read_through", "vendors.errors"),
        ("gateway.context", "cache.request_cache"),
    )

    assert layer_violations(along, RULES) == []
