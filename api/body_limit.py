"""A limit on every request body, checked while it is read: a body over it is refused with 413 before
more than the limit is taken in (a declared Content-Length at once; a chunked body as it arrives)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import problem


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        received = 0
        over = False
        answered = False

        async def limited() -> Message:
            # Past the limit the app is told the body ended: it is never handed more than the limit.
            nonlocal received, over
            if over:
                return {"type": "http.request", "body": b"", "more_body": False}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    over = True
                    return {"type": "http.request", "body": b"", "more_body": False}
            return message

        async def answer(message: Message) -> None:
            # Whatever the app makes of a cut body, the client is told why: 413.
            nonlocal answered
            if not over:
                await send(message)
            elif not answered:
                answered = True
                await self._refuse(scope, receive, send)

        await self.app(scope, limited, answer)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = self.max_bytes
        response = problem(
            413, "body_too_large", f"请求体超过上限 {limit} 字节", f"The request body is over the limit of {limit} bytes",
            scope.get("path", ""), details={"limit": limit},
        )  # fmt: skip
        await response(scope, receive, send)
