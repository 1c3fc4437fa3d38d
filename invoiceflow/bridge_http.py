"""The bridge as a Pub/Sub push endpoint, for Cloud Run; same handler as the puller."""

from __future__ import annotations

import logging
from typing import Any

from invoiceflow.bridge import Bridge, push_handler
from invoiceflow.errors import PermanentError

logger = logging.getLogger(__name__)


def create_app(bridge: Bridge) -> Any:
    """A Starlette app: 204 once the event is accepted, 4xx/5xx so Pub/Sub retries."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    async def receive(request: Request) -> Response:
        try:
            envelope = await request.json()
        except ValueError:
            return JSONResponse({"error": "body is not JSON"}, status_code=400)
        try:
            push_handler(bridge, envelope)
        except PermanentError as exc:
            # Pub/Sub retries any non-2xx and then dead-letters; a bad message
            # should reach the dead-letter topic, not be acked away.
            logger.warning("Rejecting push message: %s", exc)
            return JSONResponse({"error": str(exc)}, status_code=400)
        except Exception as exc:
            logger.exception("Could not forward push message")
            return JSONResponse({"error": str(exc)}, status_code=503)
        return Response(status_code=204)

    return Starlette(routes=[Route("/", receive, methods=["POST"])])


def serve(bridge: Bridge, port: int) -> None:
    import uvicorn

    uvicorn.run(create_app(bridge), host="0.0.0.0", port=port, log_level="info")
