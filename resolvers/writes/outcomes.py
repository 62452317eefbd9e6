"""What one vendor's part of a cross-vendor write came to, and how a failure is told."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import Enum

from gateway.errors import GatewayError, vendor_error_code, vendor_error_extensions
from gateway.vendors.errors import VendorConflictError, VendorError
from gateway.vendors.talon.client import OVERLAP_CONFLICT_CODE

__all__ = ["Done", "OutcomeStatus", "VendorOutcome", "failed_outcome", "is_talon_overlap"]

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


def is_talon_overlap(error: Exception) -> bool:
    """Talon.One's 409 for a request overlapping another on the same session or profile."""
    return isinstance(error, VendorConflictError) and error.code == OVERLAP_CONFLICT_CODE


def failed_outcome(vendor: str, error: Exception) -> VendorOutcome:
    """A failure as the client may see it: a code, whether a retry may help, a safe message."""
    if is_talon_overlap(error):
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
