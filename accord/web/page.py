"""What every browser page shares: the session, the CSRF-checked form, render, redirect.

Every page (the authorization endpoint, sign-in, account chooser, consent, the
account page, sign-up, the console) loads the browser session once, reads a
posted form once through :class:`Form` (one rule for repeated fields: the first
value counts, ``all`` gives every value), checks its CSRF token, and answers with
a rendered template or a redirect that saves the session. :meth:`Page.answer`
renders the authorization flow's result (``accord.protocol.flow``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from accord.composition import deps
from accord.google import paths
from accord.protocol.errors import InvalidRequest
from accord.protocol.flow import Browser, Flow, Next, Refusal, ShowPage
from accord.protocol.messages import User
from accord.protocol.prompts import Step
from accord.web.forms import body_pairs
from accord.web.render import page

# The page that shows each prompt; the interaction rides along as ``?i=``.
PROMPT_PAGES = {
    Step.LOGIN: paths.SIGNIN,
    Step.SELECT_ACCOUNT: paths.CHOOSER,
    Step.CONSENT: paths.CONSENT,
}


class ExpiredForm(InvalidRequest):
    """The form's CSRF token is missing or is not this browser session's."""

    def __init__(self) -> None:
        super().__init__("The form has expired. Go back and try again.")


class ForeignOrigin(InvalidRequest):
    """A state-changing post whose Origin (or Referer) is not this server's."""

    status = 403

    def __init__(self) -> None:
        super().__init__("This request did not come from this site's pages.")


def origin_of(url: str) -> str | None:
    """scheme://host[:port] of ``url``, lower-cased, default ports dropped; None when
    ``url`` has none (``null``, a path, garbage)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    default = 443 if parts.scheme == "https" else 80
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{parts.scheme}://{host}" + ("" if port in (None, default) else f":{port}")


def check_origin(request: Request, issuer: str) -> None:
    """Defence in depth beside the CSRF token and SameSite cookies: a post that names
    where it comes from (``Origin``, else ``Referer``) must come from the issuer's origin.
    A post naming neither is let through (older clients, privacy tools): its CSRF token
    is still required."""
    said = request.headers.get("origin")
    if said is None:
        said = request.headers.get("referer")
    if said is None:
        return
    if origin_of(said) != origin_of(issuer):
        raise ForeignOrigin


class Form:
    """A submitted form. A repeated name counts once, by its first value, except
    through :meth:`all`."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = pairs

    def raw(self, name: str, default: str = "") -> str:
        return next((v for k, v in self.pairs if k == name), default)

    def get(self, name: str, default: str = "") -> str:
        """The first value, without surrounding spaces."""
        return self.raw(name, default).strip()

    def all(self, name: str) -> list[str]:
        return [v for k, v in self.pairs if k == name]

    def lines(self, name: str) -> list[str]:
        """A textarea of one entry per line (redirect URIs, origins, domains), each
        stripped; blank lines are kept (as "") so that a refusal can name the line."""
        return [line.strip() for line in self.raw(name).splitlines()]

    def values(self) -> dict[str, str]:
        """What to show again in a refused form: never the CSRF token or a secret."""
        return {k: v for k, v in self.pairs if k not in ("csrf", "secret", "password")}


class Page:
    """One browser request to a page: its session and the answers that save it."""

    def __init__(self, request: Request, error_title: str | None = None) -> None:
        request.state.page = True  # errors become Google's error page
        if error_title is not None:
            request.state.error_title = error_title
        self.request = request
        self.state = deps(request)
        self.session = self.state.sessions.load(request)

    @property
    def now(self) -> int:
        return int(self.state.clock.now())

    def accounts(self) -> list[User]:
        users: list[User] = self.state.store.users_by_pk(self.session.user_pks)
        return users

    async def form(self) -> Form:
        """The posted form, once it comes from this origin (else ForeignOrigin, 403) and
        its CSRF token is this session's (else ExpiredForm)."""
        check_origin(self.request, self.state.settings.issuer)
        form = Form(await body_pairs(self.request))
        if not self.session.check_csrf(form.raw("csrf")):
            raise ExpiredForm
        return form

    def render(self, template: str, status: int = 200, **context: Any) -> Response:
        response = page(self.request, template, context, status)
        self.state.sessions.save(response, self.session)
        return response

    def redirect(self, url: str) -> Response:
        # 303: the browser follows a POST's answer with a GET.
        status = 303 if self.request.method == "POST" else 302
        response = RedirectResponse(url, status_code=status)
        self.state.sessions.save(response, self.session)
        return response

    # The authorization flow --------------------------------------------------
    @property
    def flow(self) -> Flow:
        return Flow(self.state.ctx, self.state.interactions)

    def browser(self) -> Browser:
        return Browser(self.session.csrf, self.accounts(), dict(self.session.accounts))

    def answer(self, next_step: Next) -> Response:
        """The flow's result as a response: a redirect to the prompt's page, the
        authorization response, or the error page."""
        if isinstance(next_step, Refusal):
            raise next_step.error
        if isinstance(next_step, ShowPage):
            query = urlencode({"i": next_step.interaction_id})
            return self.redirect(f"{PROMPT_PAGES[next_step.step]}?{query}")
        response = next_step.response
        if response.mode != "form_post":
            return self.redirect(response.url)
        return self.render(
            "form_post.html", action=response.redirect_uri, params=list(response.params.items())
        )
