"""Log-in for the pages: the API's own tokens, carried in cookies instead of an Authorization header.

A page log-in is ``services.auth.login`` (the same accounts, lock-out and security events as
``POST /api/v1/auth/token``); the access token and the refresh token are kept in HttpOnly cookies with
SameSite=Strict on the ``/ui`` path. Each page request resolves its person with
``services.auth.bearer_actor`` — the Authenticator the API uses (``api/identity.py``). An expired access
token is refreshed once, transparently (the refresh token is spent and the new pair set on the response);
anything else sends the person to ``/ui/login?next=…``.

CSRF: besides SameSite=Strict, every form that changes something carries ``csrf_token`` (the
``CSRF_FIELD``), the value of the HttpOnly ``hl_csrf`` cookie; ``check_csrf`` compares them on POST
(double submit). The cookie is set with the login form and renewed at each log-in.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request, Response
from starlette.concurrency import run_in_threadpool

from app.auth import TokenPair
from app.wiring import Services
from domain.actor import Actor
from domain.errors import DomainError, ErrorKind

PATH = "/ui"
ACCESS_COOKIE = "hl_access"
REFRESH_COOKIE = "hl_refresh"
CSRF_COOKIE = "hl_csrf"
CSRF_FIELD = "csrf_token"
_NEW_TOKENS = "web_new_tokens"  # request.state: a pair issued by a refresh during this request
_NEW_CSRF = "web_new_csrf"


class LoginRequired(Exception):
    """No valid session: the page answers with a redirect to the log-in form (``web.routing``)."""

    def __init__(self, next_path: str, message: str = "") -> None:
        super().__init__(next_path)
        self.next_path = next_path
        self.message = message


class CsrfRefused(Exception):
    """A POST whose form token does not match the session's."""


def services_of(request: Request) -> Services:
    return request.app.state.services  # type: ignore[no-any-return]


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def safe_next(value: str | None) -> str:
    """Where to go after logging in: a page of ours only (never another site: no open redirect)."""
    if value and value.startswith(PATH + "/") and not value.startswith("//") and "\\" not in value:
        return value
    return PATH + "/"


def login_url(next_path: str) -> str:
    return f"{PATH}/login?next={quote(safe_next(next_path), safe='/')}"


# ----- cookies --------------------------------------------------------------------------------------


def _cookie(response: Response, request: Request, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=PATH,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",  # behind the district's HTTPS proxy (uvicorn --proxy-headers)
    )


def set_tokens(response: Response, request: Request, pair: TokenPair) -> None:
    settings = services_of(request).settings
    _cookie(response, request, ACCESS_COOKIE, pair.access_token, settings.refresh_days * 86400)
    _cookie(response, request, REFRESH_COOKIE, pair.refresh_token, settings.refresh_days * 86400)


def clear_session(response: Response) -> None:
    for name in (ACCESS_COOKIE, REFRESH_COOKIE, CSRF_COOKIE):
        response.delete_cookie(name, path=PATH)


def apply_cookies(response: Response, request: Request) -> Response:
    """Sets on the outgoing response whatever this request renewed (a refreshed pair, a new CSRF token)."""
    pair: TokenPair | None = getattr(request.state, _NEW_TOKENS, None)
    if pair is not None:
        set_tokens(response, request, pair)
    if csrf := getattr(request.state, _NEW_CSRF, None):
        _cookie(response, request, CSRF_COOKIE, csrf, services_of(request).settings.refresh_days * 86400)
    return response


# ----- CSRF -----------------------------------------------------------------------------------------


def csrf_token(request: Request) -> str:
    """The token a form carries in ``CSRF_FIELD``: the cookie's, or a new one set with this response."""
    current = getattr(request.state, _NEW_CSRF, None) or request.cookies.get(CSRF_COOKIE)
    if not current:
        current = secrets.token_urlsafe(32)
        setattr(request.state, _NEW_CSRF, current)
    return current


def renew_csrf(request: Request) -> str:
    """A fresh token (at log-in: a token seen before the log-in is not the session's)."""
    token = secrets.token_urlsafe(32)
    setattr(request.state, _NEW_CSRF, token)
    return token


async def check_csrf(request: Request) -> None:
    """A dependency of every POST page route: the form's ``csrf_token`` must be the cookie's."""
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    expected = request.cookies.get(CSRF_COOKIE)
    if not (isinstance(sent, str) and expected and hmac.compare_digest(sent, expected)):
        raise CsrfRefused()


CsrfChecked = Depends(check_csrf)


# ----- the person ------------------------------------------------------------------------------------


async def _refreshed(request: Request, services: Services) -> Actor | None:
    refresh = request.cookies.get(REFRESH_COOKIE)
    if not refresh:
        return None
    try:
        pair = await run_in_threadpool(services.auth.refresh, refresh, client_ip(request))
        actor = await run_in_threadpool(services.auth.bearer_actor, pair.access_token, client_ip(request))
    except DomainError as exc:
        if exc.kind is ErrorKind.UNAUTHENTICATED:
            return None
        raise
    setattr(request.state, _NEW_TOKENS, pair)
    return actor


async def page_actor(request: Request) -> Actor:
    """The person viewing the page, from the session cookies; ``LoginRequired`` without a valid session."""
    services = services_of(request)
    next_path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    access = request.cookies.get(ACCESS_COOKIE)
    if access:
        try:
            return await run_in_threadpool(services.auth.bearer_actor, access, client_ip(request))
        except DomainError as exc:
            if exc.kind is not ErrorKind.UNAUTHENTICATED:
                raise
            if exc.code != "token_expired":
                raise LoginRequired(next_path, exc.message_zh) from None
    actor = await _refreshed(request, services)
    if actor is None:
        raise LoginRequired(next_path, "登录已过期，请重新登录" if access else "")
    return actor


@dataclass(frozen=True)
class Page:
    """What every page handler needs: the person and the services (``PageContext`` as a dependency)."""

    request: Request
    actor: Actor
    services: Services


async def page_context(request: Request, actor: Annotated[Actor, Depends(page_actor)]) -> Page:
    request.state.page_actor = actor  # a refusal page still shows who is logged in (web.routing)
    return Page(request=request, actor=actor, services=services_of(request))


PageContext = Annotated[Page, Depends(page_context)]
