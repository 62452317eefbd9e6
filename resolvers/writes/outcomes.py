"""What one vendor's part of a cross-vendor write came to, and how a failure is told."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import Enum

from gateway.errors import GatewayError, vendor_error_code, vendor_error_extensions
from vendors.errors import VendorError
from vendors.talon.errors import is_overlap_conflict

__all__ = ["Done", "OutcomeStatus", "VendorOutcome", "failed_outcome"]

log = logging.getLogger("gateway.writes")


class OutcomeStatus(Enum):
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    SKIPPED = "SKIPPED"
    ALREADY_DONE = "ALREADY_DONE"


@dataclass(frozen=True)
class Done:
    """A vendor write that completed: ``SUCCEEDED``, ``ALREADY_DONE`` or ``SKIPPED``."""

    status: OutcomeStatus = OutcomeStatus.SUCCEEDED
    message: str | None = None


@dataclass(frozen=True)
class VendorOutcome:
    vendor: str
    status: OutcomeStatus
    code: str | None = None
    retryable: bool = False
    message: str | None = None

    @property
    def completed(self) -> bool:
        return self.status is not OutcomeStatus.FAILED


def failed_outcome(vendor: str, error: Exception) -> VendorOutcome:
    """A failure as the client may see it: a code, whether a retry may help, a safe message."""
    if is_overlap_conflict(error):
        return VendorOutcome(
            vendor,
            OutcomeStatus.FAILED,
            "CONFLICT",
            True,
            "Talon.One was busy with another request for this customer; retry.",
        )
    if isinstance(error, VendorError):
        message, _ = vendor_error_extensions(error)
        return VendorOutcome(
            vendor, OutcomeStatus.FAILED, vendor_error_code(error), error.retryable, message
        )
    if isinstance(error, GatewayError):
        retryable = bool(error.extensions.get("retryable", False))
        return VendorOutcome(vendor, OutcomeStatus.FAILED, error.code, retryable, error.message)
    log.error("unexpected error in a %s write", vendor, exc_info=error)
    return VendorOutcome(
        vendor, OutcomeStatus.FAILED, "INTERNAL_SERVER_ERROR", True, "Internal server error."
    )
