"""The one error tree for vendor calls. Clients raise these; nothing above them sees httpx.

::

    VendorError                      vendor, endpoint, status (never credentials or raw bodies)
    ├── VendorUnreachableError       no usable answer; a retry may help
    │   ├── VendorUnavailableError   connection refused/dropped, 5xx, vendor down
    │   └── VendorTimeoutError       connect or read timeout
    ├── VendorRateLimitedError       429; ``retry_after`` seconds when the vendor said so
    └── VendorRejectedError          the vendor answered and refused; retrying will not help
        ├── VendorUnauthorizedError  401 / 403: bad or insufficient credentials
        ├── VendorNotFoundError      the resource does not exist
        ├── VendorConflictError      409: duplicate, or an overlapping request (Talon.One)
        └── VendorInvalidInputError  400: ``field`` names the offending input when known

``message`` is a short, safe summary chosen by the client (a vendor error *code* or title at
most); the vendor's raw body is never kept.
"""

from __future__ import annotations

__all__ = [
    "VendorConflictError",
    "VendorError",
    "VendorInvalidInputError",
    "VendorNotFoundError",
    "VendorRateLimitedError",
    "VendorRejectedError",
    "VendorTimeoutError",
    "VendorUnauthorizedError",
    "VendorUnavailableError",
    "VendorUnreachableError",
]


class VendorError(Exception):
    """A vendor call failed. ``retryable`` says whether trying again may help."""

    retryable: bool = False

    def __init__(
        self,
        vendor: str,
        endpoint: str,
        status: int | None = None,
        message: str = "",
        *,
        code: str | None = None,
    ) -> None:
        self.vendor = vendor
        self.endpoint = endpoint
        self.status = status
        self.message = message or type(self).__name__
        self.code = code
        super().__init__(self._describe())

    def _describe(self) -> str:
        status = f" {self.status}" if self.status is not None else ""
        return f"{self.vendor} {self.endpoint}{status}: {self.message}"


class VendorUnreachableError(VendorError):
    retryable = True


class VendorUnavailableError(VendorUnreachableError):
    pass


class VendorTimeoutError(VendorUnreachableError):
    pass


class VendorRateLimitedError(VendorError):
    retryable = True

    def __init__(
        self,
        vendor: str,
        endpoint: str,
        status: int | None = 429,
        message: str = "rate limited",
        *,
        retry_after: float | None = None,
        code: str | None = None,
    ) -> None:
        self.retry_after = retry_after
        super().__init__(vendor, endpoint, status, message, code=code)


class VendorRejectedError(VendorError):
    pass


class VendorUnauthorizedError(VendorRejectedError):
    pass


class VendorNotFoundError(VendorRejectedError):
    pass


class VendorConflictError(VendorRejectedError):
    pass


class VendorInvalidInputError(VendorRejectedError):
    def __init__(
        self,
        vendor: str,
        endpoint: str,
        status: int | None = 400,
        message: str = "invalid input",
        *,
        field: str | None = None,
        code: str | None = None,
    ) -> None:
        self.field = field
        super().__init__(vendor, endpoint, status, message, code=code)
