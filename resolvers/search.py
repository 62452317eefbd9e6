"""Finding customers: keyword search (a Relay page over Tallymarks' ``offsetKey``) and exact
lookups by e-mail or external reference built on it.

Every customer a search returns is primed into :class:`CustomerSummaryByIdLoader`, so the
fields a search result already carries cost no further call; :func:`customer_summary` is
how the Customer type reads them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable

from gateway.context import GraphQLContext
from gateway.errors import BadUserInputError
from resolvers.loaders.tallymarks import CustomerSummaryByIdLoader
from resolvers.offset_cursor import MAX_PAGE_SIZE, OffsetPage, query_scope, read_page
from vendors.tallymarks.models import CustomerSummary
from vendors.tallymarks.reads import CUSTOMER_SEARCH, CustomerSearchPageQuery

__all__ = [
    "customer_by_email",
    "customer_by_external_reference",
    "customer_summary",
    "search_customers",
]

#: how many vendor pages an exact lookup reads before giving up (the keyword is the whole
#: value looked for, so more than a handful of candidates is already unusual)
MAX_LOOKUP_PAGES = 10


def customer_summary(ctx: GraphQLContext, customer_id: str) -> Awaitable[CustomerSummary | None]:
    """Names, e-mail and createdAt: from a search result of this request, else the profile.
    The loader's future itself (a search result's is already done): no coroutine per field."""
    return ctx.loaders.get(CustomerSummaryByIdLoader).load(customer_id)


def _prime(ctx: GraphQLContext, found: Iterable[CustomerSummary]) -> None:
    loader = ctx.loaders.get(CustomerSummaryByIdLoader)
    for summary in found:
        loader.prime(summary.customer_id, summary)


def _keyword(search: str | None) -> str | None:
    return search.strip() if search and search.strip() else None


async def search_customers(
    ctx: GraphQLContext, search: str | None, *, first: int, after: str | None
) -> OffsetPage[CustomerSummary]:
    """Customers whose name, e-mail, phone or external reference contain ``search`` (all
    customers when it is blank), in the vendor's order."""
    keyword = _keyword(search)
    loader = ctx.loaders.read(CUSTOMER_SEARCH)

    async def fetch(offset_key: str | None, limit: int) -> tuple[list[CustomerSummary], str | None]:
        page = await loader.load(CustomerSearchPageQuery(keyword, limit, offset_key))
        return page.customers, page.offset_key

    scope = query_scope("customers", keyword=keyword)
    page = await read_page(fetch, first=first, after=after, scope=scope)
    _prime(ctx, (summary for _, summary in page.edges))
    return page


async def customer_by_email(ctx: GraphQLContext, email: str) -> CustomerSummary | None:
    """The customer with exactly this e-mail address (case-insensitive), or ``None``."""
    return await _exact(ctx, email, "email", lambda c: c.email_address)


async def customer_by_external_reference(
    ctx: GraphQLContext, reference: str
) -> CustomerSummary | None:
    """The customer with exactly this external reference (case-insensitive), or ``None``."""
    return await _exact(ctx, reference, "reference", lambda c: c.external_reference)


async def _exact(
    ctx: GraphQLContext,
    value: str,
    argument: str,
    value_of: Callable[[CustomerSummary], str | None],
) -> CustomerSummary | None:
    """Keyword-search for ``value``, then keep the result whose field equals it exactly."""
    keyword = _keyword(value)
    if keyword is None:
        raise BadUserInputError(f"`{argument}` must not be blank.", argument=argument)
    wanted = keyword.casefold()
    loader = ctx.loaders.read(CUSTOMER_SEARCH)
    offset_key: str | None = None
    for _ in range(MAX_LOOKUP_PAGES):
        page = await loader.load(CustomerSearchPageQuery(keyword, MAX_PAGE_SIZE, offset_key))
        for summary in page.customers:
            found = value_of(summary)
            if found is not None and found.strip().casefold() == wanted:
                _prime(ctx, [summary])
                return summary
        if not page.offset_key or page.offset_key == offset_key:
            return None
        offset_key = page.offset_key
    return None
