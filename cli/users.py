"""`hazard-ledger users …` and `hazard-ledger api-keys …`: built-in accounts and machine clients' keys.

Run by an administrator on the server. Passwords come from a hidden prompt or, for scripts, the first line
of standard input (``--password-stdin``), never from the command line. An API key's secret is shown once.
Every change is a security event (``GET /api/v1/security-events``).
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, TypeVar

import typer
from rich.table import Table

from adapters.accounts import AccountStore
from adapters.migrations import upgrade
from app.auth import Authenticator
from app.wiring import create_read_engine
from cli.common import DbOption, console, open_database, refused
from domain.errors import DomainError
from domain.glossary import OrgKind, Role

users_app = typer.Typer(help="Built-in accounts 用户账户", no_args_is_help=True)
api_keys_app = typer.Typer(help="API keys API 密钥 of machine clients: add, revoke, list", no_args_is_help=True)

T = TypeVar("T")
RoleOption = Annotated[str, typer.Option("--role", help=f"one of {', '.join(r.value for r in Role if r is not Role.SYSTEM)}")]
OrgIdOption = Annotated[str, typer.Option("--org-id", help="organisation id: unit (yjj), street, or the enterprise's id")]
OrgKindOption = Annotated[
    str, typer.Option("--org-kind", help=f"one of {', '.join(k.value for k in OrgKind if k is not OrgKind.SYSTEM)}")
]
OrgNameOption = Annotated[str, typer.Option("--org-name", help="printed name of the organisation")]
PasswordStdin = Annotated[bool, typer.Option("--password-stdin", help="read the password from the first line of stdin")]
ByOption = Annotated[str | None, typer.Option("--by", help="who makes the change (default: cli:<login name>)")]


@contextmanager
def _authenticator(db: str | None, create: bool) -> Iterator[Authenticator]:
    settings = open_database(db, create=create)
    upgrade(settings.sqlalchemy_url())
    engine = create_read_engine(settings)
    try:
        yield Authenticator(settings, AccountStore(engine))
    except DomainError as exc:
        raise refused(exc) from None
    finally:
        engine.dispose()


def _run(db: str | None, action: Callable[[Authenticator], T], *, create: bool = False) -> T:
    """``create``: the verbs that add (an administrator's first account makes the ledger's database)."""
    with _authenticator(db, create) as auth:
        return action(auth)


def _by(by: str | None) -> str:
    return by or f"cli:{getpass.getuser()}"


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt("password 密码", hide_input=True, confirmation_prompt=True))


@users_app.command("add")
def add_user(
    user_id: Annotated[str, typer.Argument(help="the log-in name, also the user id in every event")],
    name: Annotated[str, typer.Option("--name", help="printed name")],
    role: RoleOption,
    org_id: OrgIdOption,
    org_kind: OrgKindOption,
    org_name: OrgNameOption = "",
    password_stdin: PasswordStdin = False,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """Add an account (the role must belong to the organisation kind)."""
    password = _password(password_stdin)
    account = _run(
        db, lambda auth: auth.add_user(user_id, name, role, org_id, org_kind, org_name, password, _by(by)), create=True
    )
    console.print(f"added {account.user_id} ({account.role.zh}, {account.organisation_name or account.organisation_id})")


@users_app.command("disable")
def disable_user(user_id: str, by: ByOption = None, db: DbOption = None) -> None:
    """Disable an account: no log-in, its refresh tokens revoked, its access tokens refused."""
    _run(db, lambda auth: auth.set_disabled(user_id, True, _by(by)))
    console.print(f"disabled {user_id}")


@users_app.command("enable")
def enable_user(user_id: str, by: ByOption = None, db: DbOption = None) -> None:
    """Enable an account again (and lift a lock-out)."""
    _run(db, lambda auth: auth.set_disabled(user_id, False, _by(by)))
    console.print(f"enabled {user_id}")


@users_app.command("reset-password")
def reset_password(user_id: str, password_stdin: PasswordStdin = False, by: ByOption = None, db: DbOption = None) -> None:
    """Set a new password (lifts a lock-out, revokes the account's refresh tokens)."""
    password = _password(password_stdin)
    _run(db, lambda auth: auth.reset_password(user_id, password, _by(by)))
    console.print(f"password reset for {user_id}")


@users_app.command("grant")
def grant(
    user_id: str,
    role: RoleOption,
    org_id: OrgIdOption,
    org_kind: OrgKindOption,
    org_name: Annotated[str | None, typer.Option("--org-name", help="printed name of the organisation")] = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """Give an account another role and organisation (revokes its refresh tokens)."""
    _run(db, lambda auth: auth.grant(user_id, role, org_id, org_kind, org_name, _by(by)))
    console.print(f"{user_id}: {role} of {org_id} ({org_kind})")


@users_app.command("list")
def list_users(db: DbOption = None) -> None:
    """Every account."""
    accounts = _run(db, lambda auth: auth.store.users())
    table = Table("user id", "name", "role", "organisation", "kind", "state")
    for a in accounts:
        state = "disabled" if a.disabled else f"locked until {a.locked_until:%Y-%m-%d %H:%M}" if a.locked_until else "active"
        table.add_row(a.user_id, a.name, a.role.value, a.organisation_id, a.organisation_kind.value, state)
    console.print(table)


@api_keys_app.command("add")
def add_key(
    name: Annotated[str, typer.Argument(help="what the machine client is (e.g. 'street app sync')")],
    role: RoleOption,
    org_id: OrgIdOption,
    org_kind: OrgKindOption,
    org_name: OrgNameOption = "",
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """Make a key bound to a role and organisation. Its secret is printed ONCE: store it in the client."""
    key, secret = _run(db, lambda auth: auth.add_api_key(name, role, org_id, org_kind, org_name, _by(by)), create=True)
    console.print(f"key id {key.key_id}")
    console.print("secret (shown once, send as X-API-Key):")
    print(secret)


@api_keys_app.command("revoke")
def revoke_key(key_id: str, by: ByOption = None, db: DbOption = None) -> None:
    """Revoke a key: every later request with it is refused (401 api_key_revoked)."""
    _run(db, lambda auth: auth.revoke_api_key(key_id, _by(by)))
    console.print(f"revoked {key_id}")


@api_keys_app.command("list")
def list_keys(db: DbOption = None) -> None:
    """Every key (never its secret)."""
    keys = _run(db, lambda auth: auth.store.api_keys())
    table = Table("key id", "name", "role", "organisation", "created by", "state", "last used")
    for k in keys:
        state = f"revoked {k.revoked_at:%Y-%m-%d %H:%M}" if k.revoked_at else "active"
        used = f"{k.last_used_at:%Y-%m-%d %H:%M} {k.last_used_ip or ''}" if k.last_used_at else "never"
        table.add_row(k.key_id, k.name, k.role.value, k.organisation_id, k.created_by, state, used)
    console.print(table)
