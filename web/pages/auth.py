"""/ui/login and /ui/logout: the page log-in (web/session.py)."""

from __future__ import annotations

import contextlib
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from domain.errors import DomainError
from web.render import render
from web.routing import PageRoute
from web.session import (
    REFRESH_COOKIE,
    CsrfChecked,
    apply_cookies,
    clear_session,
    client_ip,
    renew_csrf,
    safe_next,
    services_of,
    set_tokens,
)

router = APIRouter(route_class=PageRoute)


def _form(request: Request, next_path: str, *, user_id: str = "", error: str = "", status_code: int = 200) -> Response:
    context = {"next": safe_next(next_path), "user_id": user_id, "error": error}
    return render(request, "login.html", context, title="登录", status_code=status_code)


@router.get("/login")
def login_form(request: Request, next: Annotated[str | None, Query(max_length=500)] = None) -> Response:
    return _form(request, next or "")


@router.post("/login", dependencies=[CsrfChecked])
async def login(
    request: Request,
    username: Annotated[str, Form(max_length=128)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    if not username.strip() or not password:
        return _form(request, next, user_id=username, error="请输入用户名和密码", status_code=422)
    try:
        pair = await run_in_threadpool(services_of(request).auth.login, username.strip(), password, client_ip(request))
    except DomainError as exc:
        return _form(request, next, user_id=username, error=exc.message_zh, status_code=401)
    response = RedirectResponse(safe_next(next), status_code=303)
    set_tokens(response, request, pair)
    renew_csrf(request)  # the session's own token, not the one of the anonymous form
    return apply_cookies(response, request)


@router.post("/logout", dependencies=[CsrfChecked])
async def logout(request: Request) -> Response:
    if refresh := request.cookies.get(REFRESH_COOKIE):
        with contextlib.suppress(DomainError):  # already spent or revoked: the cookies go anyway
            await run_in_threadpool(services_of(request).auth.logout, refresh, client_ip(request))
    response = RedirectResponse("/ui/login", status_code=303)
    clear_session(response)
    return response
