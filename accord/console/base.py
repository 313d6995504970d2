"""What every console page shares: who is signed in, the CSRF check, rendering, errors.

A console page is one URL with a GET *view* (the template's context) and a table
of POST *actions*, each a form on that page naming itself in the ``action``
field. An action that succeeds redirects back with a fixed ``?ok=`` key
(Post/Redirect/Get); one the services refuse re-renders the page with every one
of the service's messages next to its form field (one per wrong line of a
multi-line field) and the status of the refusal (400, 403, 409). A project or
client the account may not see is the same 404 page as one that does not exist:
the page says nothing more.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from accord.console.messages import OK
from accord.interaction.signin_page import signin_url
from accord.protocol.messages import User
from accord.protocol.params import small_number
from accord.services import (
    Member,
    NotFound,
    ServiceError,
)
from accord.services.rules import problems_of
from accord.web.page import ExpiredForm, Form, Page

MAX_AUTHUSER = 9

__all__ = ["Console", "Done", "ExpiredForm", "Form", "Refusal", "console_page", "when"]


@dataclass(frozen=True)
class Refusal:
    """A refused action, shown next to its form (and its field when the service named one)."""

    action: str
    message: str
    field: str | None
    values: Mapping[str, str] = dataclasses.field(default_factory=dict)
    status: int = 400
    problems: tuple[tuple[str | None, str], ...] = ()  # every (field, message), in order

    def messages(self, field: str) -> list[str]:
        """The messages about one field (every wrong line of a multi-line field)."""
        return [m for f, m in self.problems or ((self.field, self.message),) if f == field]

    def others(self, fields: tuple[str, ...]) -> list[str]:
        """The messages about none of ``fields`` (shown at the top of the form)."""
        return [m for f, m in self.problems or ((self.field, self.message),)
                if f not in fields]


@dataclass(frozen=True)
class Done:
    """Where a successful action sends the browser, and the message shown there."""

    ok: str
    to: str | None = None  # None: back to the page the form was on


class Console(Page):
    """One console request: the signed-in account, the services and the response helpers."""

    def __init__(self, request: Request) -> None:
        super().__init__(request)
        self.authuser = _authuser(request.query_params.get("authuser", ""))
        self.signed_in = self.accounts()
        self.user: User | None = (
            self.signed_in[self.authuser] if self.authuser < len(self.signed_in) else None
        )
        self.projects = self.state.services.projects
        self.clients = self.state.services.clients
        self.orgs = self.state.services.orgs
        self.service_accounts = self.state.services.service_accounts
        self.delegation = self.state.services.delegation

    @property
    def actor(self) -> Member:
        assert self.user is not None
        return Member(self.user.pk)

    @property
    def issuer(self) -> str:
        issuer: str = self.state.settings.issuer
        return issuer

    def href(self, path: str, **query: str) -> str:
        """A console URL that keeps the chosen account (Google's ``authuser``)."""
        params = {**query, **({"authuser": str(self.authuser)} if self.authuser else {})}
        return f"{path}?{urlencode(params)}" if params else path

    def signin(self) -> Response:
        here = self.request.url.path
        if self.request.url.query:
            here += "?" + self.request.url.query
        return self.redirect(signin_url(here))

    def render(self, template: str, status: int = 200, **context: Any) -> Response:
        ok = OK.get(self.request.query_params.get("ok", ""))
        base = {
            "csrf": self.session.csrf,
            "user": self.user,
            "accounts": self.signed_in,
            "authuser": self.authuser,
            "href": self.href,
            "when": when,
            "ok": ok if self.request.method == "GET" else None,
            "refusal": None,
        }
        return super().render(f"console/{template}", status, **{**base, **context})

    def done(self, done: Done) -> Response:
        """Post/Redirect/Get: back to the page (or ``done.to``) with its message."""
        return self.redirect(self.href(done.to or self.request.url.path, ok=done.ok))

    def message(self, status: int, title: str, text: str) -> Response:
        return self.render("message.html", status, title=title, text=text)

    def not_found(self) -> Response:
        return self.message(
            404,
            "Not found",
            "The page you asked for does not exist, or you do not have access to it.",
        )


def when(seconds: int | None) -> str:
    """A stored time for people: ``2025-11-25 22:18 UTC``."""
    if seconds is None:
        return ""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M UTC")


def _authuser(raw: str) -> int:
    index = small_number(raw) or 0
    return index if index <= MAX_AUTHUSER else 0


View = Callable[..., Awaitable[tuple[str, dict[str, Any]]]]
Action = Callable[..., Awaitable["Done | Response"]]


def console_page(
    path: str, view: View | None, actions: Mapping[str, Action] | None = None
) -> Route:
    """The route of one console page: GET renders ``view``; POST runs one of ``actions``.

    Without a view the route only answers POST (a download), and a refusal is shown
    on a page of its own.
    """

    async def endpoint(request: Request) -> Response:
        con = Console(request)
        if con.user is None:
            return con.signin()
        params = dict(request.path_params)
        try:
            if request.method == "GET" and view is not None:
                template, context = await view(con, **params)
                return con.render(template, **context)
            return await _post(con, view, actions or {}, params)
        except ExpiredForm:
            return con.message(
                403, "This form has expired", "Reload the page and submit the form again."
            )
        except NotFound:
            return con.not_found()
        except ServiceError as exc:  # a page the account may see but not change
            return con.message(exc.status, "You cannot do that", str(exc))

    methods = (["GET"] if view else []) + (["POST"] if actions else [])
    return Route(path, endpoint, methods=methods)


async def _post(
    con: Console, view: View | None, actions: Mapping[str, Action], params: dict[str, Any]
) -> Response:
    form = await con.form()
    name = form.get("action")
    action = actions.get(name)
    if action is None:
        return con.message(400, "Unknown action", "Reload the page and try again.")
    try:
        outcome = await action(con, form, **params)
    except ServiceError as exc:
        if view is None:
            raise
        # The view raises NotFound when the page itself is not the account's to see (the
        # 404 page); a NotFound about one row of it (a member, a secret) is a refusal.
        refusal = Refusal(
            name, str(exc), exc.field, form.values(), exc.status, tuple(problems_of(exc))
        )
        template, context = await view(con, **params)
        return con.render(template, exc.status, **{**context, "refusal": refusal})
    if isinstance(outcome, Done):
        return con.done(outcome)
    return outcome
