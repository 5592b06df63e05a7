"""Page routes answer in HTML: a refusal is a page in Chinese, a missing session a redirect to log-in.

Every page router is ``APIRouter(route_class=PageRoute)`` (``web.pages.page_router``). The API's
problem+json handlers stay the API's; a ``DomainError`` raised by a page (or by its dependencies) is
caught here and shown with its own Chinese message and the HTTP status of its kind.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute

from domain.errors import DomainError, ErrorKind
from web.render import is_htmx, render
from web.session import CsrfRefused, LoginRequired, login_url


def _to_login(request: Request, exc: LoginRequired) -> Response:
    target = login_url(exc.next_path)
    if is_htmx(request):  # a partial request: htmx moves the whole page
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


def refusal(request: Request, status: int, message: str, actor: Any = None) -> Response:
    return render(
        request, "error.html", {"message": message, "status": status}, actor=actor, title="无法显示", status_code=status
    )


class PageRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except LoginRequired as exc:
                return _to_login(request, exc)
            except CsrfRefused:
                return refusal(request, 403, "表单已过期或来源不明，请刷新页面后重试")
            except DomainError as exc:
                if exc.kind is ErrorKind.UNAUTHENTICATED:
                    return _to_login(request, LoginRequired(request.url.path, exc.message_zh))
                return refusal(request, exc.kind.status, exc.message_zh, getattr(request.state, "page_actor", None))

        return page_handler
