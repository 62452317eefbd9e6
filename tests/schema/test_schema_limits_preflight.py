"""The operation a request names, found once for the checks before execution (the cost
limit, the id arguments), with its document's fragments."""

from __future__ import annotations

from graphql import parse

from gateway.limits.preflight import named_operation

DOCUMENT = parse(
    """
    query A { customer(id: 1) { ...F } }
    query B { customers { edges { cursor } } }
    fragment F on Customer { email }
    fragment G on Customer { firstName }
    """
)


def test_the_named_operation_comes_with_every_fragment_of_its_document() -> None:
    found = named_operation(DOCUMENT, "B")

    assert found is not None
    operation, fragments = found
    assert operation.name is not None
    assert operation.name.value == "B"
    assert sorted(fragments) == ["F", "G"]
    assert fragments["G"].type_condition.name.value == "Customer"


def test_no_such_operation_is_none() -> None:
    assert named_operation(DOCUMENT, "C") is None
    # two operations and no name: execution reports which one it could not choose
    assert named_operation(DOCUMENT, None) is None


def test_a_lone_operation_needs_no_name() -> None:
    found = named_operation(parse("{ customers { totalCount } }"), None)

    assert found is not None
    assert found[0].operation.value == "query"
    assert found[1] == {}
