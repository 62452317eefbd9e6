"""Checks of a request against a vendor's documented rules, made before it is sent: a
broken rule fails as the vendor's own 400 would (:class:`VendorInvalidInputError` naming the
field), without spending a call. Each vendor adds the rules it documents."""

from __future__ import annotations

from typing import ClassVar

from vendors.errors import VendorInvalidInputError

__all__ = ["RequestCheck"]


class RequestCheck:
    """The checks for one endpoint; each raises on the first broken rule."""

    #: the ``code`` of the errors raised (``None``: like the vendor's own rejections)
    code: ClassVar[str | None] = None

    def __init__(self, vendor: str, endpoint: str) -> None:
        self.vendor = vendor
        self.endpoint = endpoint

    def fail(self, field: str, message: str) -> VendorInvalidInputError:
        return VendorInvalidInputError(
            self.vendor, self.endpoint, None, message, field=field, code=self.code
        )
