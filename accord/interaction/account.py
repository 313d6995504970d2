"""The account page: the apps with access to the account, removing access, the password.

Google's "Third-party apps with account access" (myaccount.google.com/permissions): one
row per project the user granted scopes to, the scopes in the consent page's words,
since when and when a token was last used. "Remove access" revokes the whole grant,
exactly as the revoke endpoint does (RFC 7009 §2.1; reference §1.5): every token of
every client of the project stops working, and the next authorization asks again.

With several accounts signed in, ``?authuser=N`` picks the N-th (0 is the most recent);
each form names its account by ``sub`` and is refused unless that account is signed in.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from accord.google import scopes
from accord.interaction.signin_page import (
    ACCOUNT,
    PageSession,
    client_address,
    password_problem,
    signin_url,
)
from accord.interaction.throttle import Attempt, Outcome
from accord.protocol.errors import InvalidRequest
from accord.protocol.messages import AuditEvent, User
from accord.protocol.params import small_number
from accord.services import Member, ServiceError
from accord.storage.accounts import AppAccess
from accord.web.page import Form

PASSWORD = ACCOUNT + "/password"
REMOVE = ACCOUNT + "/permissions/remove"
NOTICES = {"removed": "Access removed.", "password": "Your password was changed."}


@dataclass(frozen=True)
class AppRow:
    """One app as the page shows it."""

    project_pk: int
    name: str
    access: tuple[str, ...]  # plain words
    since: str
    last_used: str


def _day(at: int | None) -> str:
    if at is None:
        return "Never"
    t = time.gmtime(at)
    return f"{time.strftime('%B', t)} {t.tm_mday}, {t.tm_year}"


def _words(names: tuple[str, ...]) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for name in names:
        try:
            out[scopes.describe(name).description] = None
        except KeyError:  # a scope no longer known: name it as it was granted
            out[name] = None
    return tuple(out)


def _row(app: AppAccess) -> AppRow:
    return AppRow(
        app.project_pk, app.app_name, _words(app.scopes), _day(app.since), _day(app.last_used_at)
    )


def _chosen(ps: PageSession) -> tuple[User, int, list[User]] | None:
    """The account the page is about, its index, and all signed-in accounts."""
    accounts = ps.accounts()
    if not accounts:
        return None
    raw = ps.request.query_params.get("authuser", "0")
    index = small_number(raw) or 0
    if index >= len(accounts):
        index = 0
    return accounts[index], index, accounts


def _posted_account(ps: PageSession, form: Form) -> tuple[User, int]:
    accounts = ps.accounts()
    for index, user in enumerate(accounts):
        if user.sub == form.raw("account"):
            return user, index
    raise InvalidRequest("That account is not signed in. Sign in and try again.")


def _page_url(index: int, notice: str = "") -> str:
    query = {"authuser": str(index)} if index else {}
    if notice:
        query["notice"] = notice
    return ACCOUNT + ("?" + urlencode(query) if query else "")


def _to_signin(ps: PageSession) -> Response:
    path = ps.request.url.path
    query = ps.request.url.query
    return ps.redirect(signin_url(path + ("?" + query if query else "")))


async def account(request: Request) -> Response:
    ps = PageSession(request)
    chosen = _chosen(ps)
    if chosen is None:
        return _to_signin(ps)
    user, index, accounts = chosen
    apps = await run_in_threadpool(ps.state.accounts.apps_with_access, user.pk)
    notice = NOTICES.get(request.query_params.get("notice", ""), "")
    return ps.render(
        "account.html",
        user=user,
        index=index,
        accounts=list(enumerate(accounts)),
        apps=[_row(app) for app in apps],
        notice=notice,
        self_url=_page_url(index),
    )


async def remove_access(request: Request) -> Response:
    ps = PageSession(request)
    form = await ps.form()
    user, index = _posted_account(ps, form)
    project = form.raw("project")
    apps = await run_in_threadpool(ps.state.accounts.apps_with_access, user.pk)
    app = next((a for a in apps if str(a.project_pk) == project), None)
    if app is not None:
        now = ps.now
        await run_in_threadpool(ps.state.ctx.store.revoke_grant, user.pk, app.project_pk, now)
        ps.state.audit.record(
            AuditEvent(
                event="consent.revoked",
                at=now,
                user_pk=user.pk,
                email=user.email,
                org_pk=user.org_pk,
                project_pk=app.project_pk,
                address=client_address(request),
                outcome="ok",
                detail=(("scopes", " ".join(app.scopes)), ("via", "account_page")),
            )
        )
    # Already removed (a second tab, a double click): the page shows it is gone.
    return ps.redirect(_page_url(index, "removed"))


async def change_password(request: Request) -> Response:
    ps = PageSession(request)
    chosen = _chosen(ps)
    if chosen is None:
        return _to_signin(ps)
    user, index, _ = chosen
    if request.method == "GET":
        return ps.render("account_password.html", user=user, back=_page_url(index))
    form = await ps.form()
    user, index = _posted_account(ps, form)

    def again(status: int, error: str) -> Response:
        return ps.render(
            "account_password.html", status, user=user, back=_page_url(index), error=error
        )

    new, current = form.raw("new"), form.raw("current")
    problem = password_problem(new, form.raw("confirm"))
    if problem is not None:
        return again(400, problem)
    # The current password is checked like a sign-in: throttled, counted, audited.
    attempt = Attempt(user.email, current, client_address(request), "password_change")
    verdict = await run_in_threadpool(ps.signins.check, attempt, None)
    if verdict.outcome is Outcome.THROTTLED:
        return again(429, verdict.message)
    if verdict.user is None or verdict.user.pk != user.pk:
        return again(401, "Wrong password. Try again.")
    users = ps.state.services.users
    try:
        await run_in_threadpool(users.change_password, Member(user.pk), current, new)
    except ServiceError:  # changed or disabled meanwhile
        raise InvalidRequest("This account cannot be changed.") from None
    ps.audit("password.changed", user, via="account_page")
    return ps.redirect(_page_url(index, "password"))


routes = [
    Route(ACCOUNT, account, methods=["GET"]),
    Route(REMOVE, remove_access, methods=["POST"]),
    Route(PASSWORD, change_password, methods=["GET", "POST"]),
]
