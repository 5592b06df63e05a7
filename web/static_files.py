"""The pages' stylesheet and scripts (web/static), addressed by their content and kept by the browser.

A page names each file with its version (``/ui/static/app.css?v=<sha-256 prefix>``): a request naming the
current version may be kept for a year without asking again (``immutable``), since a changed file gets a new
address; any other request is revalidated (``no-cache``). Without this the browser fetched the stylesheet
and htmx again on every page (no ``Cache-Control``: files this new are stale at once), a server round trip
per file per page (bench/RESULTS.md, session 7).
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

DIRECTORY = Path(__file__).resolve().parent / "static"
STATIC_PATH = "/ui/static"
KEEP = "public, max-age=31536000, immutable"
ASK_AGAIN = "no-cache"


@cache
def version(path: str) -> str:
    """The file's content version: the first 12 hex digits of its SHA-256 (read once per process)."""
    return hashlib.sha256((DIRECTORY / path).read_bytes()).hexdigest()[:12]


def static_url(path: str) -> str:
    """A static file's address for a page: ``{{ static("app.css") }}``."""
    return f"{STATIC_PATH}/{path}?v={version(path)}"


class VersionedStatic(StaticFiles):
    def __init__(self) -> None:
        super().__init__(directory=DIRECTORY)

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code in (200, 304):
            asked = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("v", [""])[0]
            current = asked and (DIRECTORY / path).is_file() and asked == version(path)
            response.headers["Cache-Control"] = KEEP if current else ASK_AGAIN
        return response
