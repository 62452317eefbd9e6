"""The header read timeout in uvicorn's httptools protocol (see :mod:`.headers`); its own
module because importing it needs httptools."""

from __future__ import annotations

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from gateway.slow_clients.header_deadline import HeaderDeadlineMixin

__all__ = ["HeaderTimeoutHttpToolsProtocol"]


class HeaderTimeoutHttpToolsProtocol(HeaderDeadlineMixin, HttpToolsProtocol):
    """uvicorn's httptools protocol with the header read timeout: the parser says when a
    request begins and when its headers are complete."""

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.header_deadline.request_begun = True
        self.header_deadline.start()

    def on_headers_complete(self) -> None:
        self.header_deadline.cancel()
        super().on_headers_complete()
