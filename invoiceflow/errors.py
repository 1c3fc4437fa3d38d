"""One exception family: transient errors are retried, permanent ones quarantined."""

from __future__ import annotations


class InvoiceflowError(Exception):
    """Base of every error the pipeline raises on purpose."""


class TransientError(InvoiceflowError):
    """A failure that may pass on its own (network, 5xx, lock, timeout); retry it."""


class PermanentError(InvoiceflowError):
    """A failure that retrying cannot fix; the upload goes to the failed bucket.

    `kind` is a short machine-readable reason for the error report and the
    warehouse, such as ``not_tiff`` or ``pixel_limit``.
    """

    kind: str = "permanent"

    def __init__(self, message: str, *, kind: str | None = None) -> None:
        super().__init__(message)
        if kind is not None:
            self.kind = kind


class UnsupportedInputError(PermanentError):
    """The upload is not a file type the pipeline accepts."""

    kind = "unsupported_input"


class CorruptInputError(PermanentError):
    """The upload claims to be a TIFF but cannot be decoded."""

    kind = "corrupt_input"


class LimitExceededError(PermanentError):
    """The upload breaks a configured size limit (pixels, pages, bytes)."""

    kind = "limit_exceeded"


class NotAnInvoiceError(PermanentError):
    """The document carries no text an invoice would have."""

    kind = "not_an_invoice"


class WarehouseConfigError(InvoiceflowError):
    """The warehouse is misconfigured: its dataset is missing or access is denied.

    Deliberately neither transient nor permanent. Retrying creates no dataset
    and grants no role, so `is_transient` says no; the invoice itself is fine,
    so it must not be quarantined as a bad file either. The load task fails at
    once, the flow run fails with this message, the upload stays in the input
    bucket and `invoiceflow reconcile` lists it as missing; once the
    configuration is fixed, rerunning the flow run loads it.
    """


def is_transient(exc: BaseException) -> bool:
    """Whether a task should retry after `exc`.

    Our own family says so explicitly; anything else from a client library is
    judged by its type, since network faults surface as many different classes.
    """
    if isinstance(exc, PermanentError):
        return False
    if isinstance(exc, TransientError):
        return True
    return _is_transient_library_error(exc)


def _is_transient_library_error(exc: BaseException) -> bool:
    from google.api_core import exceptions as gexc

    transient_google = (
        gexc.TooManyRequests,
        gexc.InternalServerError,
        gexc.BadGateway,
        gexc.ServiceUnavailable,
        gexc.GatewayTimeout,
        gexc.DeadlineExceeded,
    )
    if isinstance(exc, transient_google):
        return True
    return isinstance(exc, (ConnectionError, TimeoutError, OSError)) and not isinstance(
        exc, (FileNotFoundError, PermissionError, IsADirectoryError)
    )
