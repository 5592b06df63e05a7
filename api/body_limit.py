"""A limit on every request body, checked while it is read: a body over it is refused with 413 before
more than the limit is taken in (a declared Content-Length at once; a chunked body as it arrives).

The body is read whole before the app sees it, into a spool that holds the first MiB in memory and the
rest in a temporary file: a body over the limit is refused without the process having held it (a 50 MB
body costs at most a MiB of memory), and only a body within the limit is handed to the app."""

from __future__ import annotations

import tempfile

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import problem

SPOOL_IN_MEMORY = 1024 * 1024  # past this, a body being read goes to a temporary file
REPLAY_CHUNK = 64 * 1024


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
        first = await receive()
        if first["type"] != "http.request" or not first.get("more_body", False):
            # the whole body in one message (every small request), or the client gone: nothing to spool
            if len(first.get("body", b"")) > self.max_bytes:
                await self._refuse(scope, receive, send)
                return
            await self.app(scope, _replaying([first], receive), send)
            return
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115 — closed below
        try:
            received = 0
            message = first
            while True:
                if message["type"] != "http.request":
                    return  # the client went away mid-body: no one to answer
                chunk = message.get("body", b"")
                received += len(chunk)
                if received > self.max_bytes:
                    spool.close()
                    await self._refuse(scope, receive, send)
                    return
                spool.write(chunk)
                if not message.get("more_body", False):
                    break
                message = await receive()
            spool.seek(0)
            await self.app(scope, _from_spool(spool, received, receive), send)
        finally:
            spool.close()

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = self.max_bytes
        response = problem(
            413, "body_too_large", f"请求体超过上限 {limit} 字节", f"The request body is over the limit of {limit} bytes",
            scope.get("path", ""), details={"limit": limit},
        )  # fmt: skip
        await response(scope, receive, send)


def _replaying(messages: list[Message], receive: Receive) -> Receive:
    """The messages already read, then whatever the client sends next (a disconnect)."""

    async def replay() -> Message:
        return messages.pop(0) if messages else await receive()

    return replay


def _from_spool(spool: tempfile.SpooledTemporaryFile[bytes], size: int, receive: Receive) -> Receive:
    """The spooled body in chunks, then whatever the client sends next (a disconnect)."""
    left = size
    done = False

    async def replay() -> Message:
        nonlocal left, done
        if done:
            return await receive()
        chunk = spool.read(min(REPLAY_CHUNK, left))
        left -= len(chunk)
        done = left <= 0 or not chunk
        return {"type": "http.request", "body": chunk, "more_body": not done}

    return replay
