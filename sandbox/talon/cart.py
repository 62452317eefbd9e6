"""Cart arithmetic (docs/vendors/talon.md §5.19): totals, positions and returned quantities."""

from __future__ import annotations

from typing import Any

from sandbox.talon.models import AdditionalCostIn, CartItemIn


def money(value: float) -> float:
    return round(value + 0.0, 2)


def cart_items_from(items: list[CartItemIn]) -> list[dict[str, Any]]:
    """Stored (wire-form) cart items; the server sets each item's ``position``."""
    stored = []
    for index, item in enumerate(items):
        data = item.model_dump(exclude_none=True)
        data["position"] = index
        stored.append(data)
    return stored


def costs_from(costs: dict[str, AdditionalCostIn]) -> dict[str, dict[str, Any]]:
    return {name: {"price": cost.price} for name, cost in costs.items()}


def renumber(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for index, item in enumerate(items):
        item["position"] = index
    return items


def cart_item_total(items: list[dict[str, Any]]) -> float:
    return money(sum(float(i["price"]) * int(i["quantity"]) for i in items))


def additional_cost_total(
    items: list[dict[str, Any]], costs: dict[str, dict[str, Any]], *, include_item_costs: bool
) -> float:
    total = sum(float(c["price"]) for c in costs.values())
    if include_item_costs:
        for item in items:
            for cost in (item.get("additionalCosts") or {}).values():
                total += float(cost["price"]) * int(item["quantity"])
    return money(total)


def remaining_value(items: list[dict[str, Any]], returned: dict[int, int]) -> float:
    """Value of the cart after the returned quantities are taken out."""
    return money(
        sum(
            float(i["price"]) * (int(i["quantity"]) - returned.get(int(i["position"]), 0))
            for i in items
        )
    )


def with_return_quantities(
    items: list[dict[str, Any]], returned: dict[int, int]
) -> list[dict[str, Any]]:
    """Cart items as served: once anything was returned, every line shows both quantities."""
    if not returned:
        return items
    served = []
    for item in items:
        back = returned.get(int(item["position"]), 0)
        served.append(
            {**item, "returnedQuantity": back, "remainingQuantity": int(item["quantity"]) - back}
        )
    return served
