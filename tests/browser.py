"""A small form-following browser on top of requests, for end-to-end tests without Chromium.

It keeps cookies, follows redirects until they leave the Accord origin (the
client's redirect URI is only read, never fetched) and submits forms the way a
browser would: hidden inputs, checked boxes and the pressed button.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import requests


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    checkboxes: list[tuple[str, str, bool]] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(a.get("action", ""), a.get("method", "get").lower()))
        elif not self.forms:
            return
        elif tag == "input":
            kind = a.get("type", "text")
            if kind == "checkbox":
                self.forms[-1].checkboxes.append((a["name"], a.get("value", "on"), "checked" in a))
            elif kind == "submit":
                self.forms[-1].buttons.append((a.get("name", ""), a.get("value", "")))
            elif "name" in a:
                self.forms[-1].fields.append((a["name"], a.get("value", "")))
        elif tag == "button":
            self.forms[-1].buttons.append((a.get("name", ""), a.get("value", "")))


def forms(html: str) -> list[Form]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


class Browser:
    """``http`` is a requests.Session by default; Starlette's TestClient works too."""

    def __init__(self, origin: str, http: Any = None) -> None:
        self.origin = origin.rstrip("/")
        self.http = http if http is not None else requests.Session()
        self._no_follow = (
            {"allow_redirects": False}
            if isinstance(self.http, requests.Session)
            else {"follow_redirects": False}
        )
        self.page: Any = None
        self.left_to: str | None = None  # the URL of the first redirect off Accord's origin

    def _follow(self, response: Any) -> Any:
        while response.is_redirect:
            target = urljoin(str(response.url), response.headers["location"])
            if not target.startswith(self.origin + "/"):
                self.left_to = target
                return response
            response = self.http.get(target, **self._no_follow)
        self.page = response
        return response

    def open(self, url: str) -> Any:
        self.left_to = None
        return self._follow(self.http.get(url, **self._no_follow))

    def submit(
        self,
        values: dict[str, str] | None = None,
        *,
        button: tuple[str, str] | None = None,
        check: list[str] | None = None,
        form_index: int = 0,
    ) -> Any:
        assert self.page is not None
        form = forms(self.page.text)[form_index]
        data = list(form.fields)
        data = [(k, (values or {}).get(k, v)) for k, v in data]
        data += [(k, v) for k, v in (values or {}).items() if k not in dict(form.fields)]
        for name, value, checked in form.checkboxes:
            if (check is None and checked) or (check is not None and value in check):
                data.append((name, value))
        if button is not None:
            data.append(button)
        self.left_to = None
        url = urljoin(str(self.page.url), form.action)
        body: Any = data
        if not isinstance(self.http, requests.Session):  # httpx wants a dict of lists
            body = {}
            for k, v in data:
                body.setdefault(k, []).append(v)
        return self._follow(self.http.post(url, data=body, **self._no_follow))

    # The steps of Accord's pages -------------------------------------------------
    def sign_in(self, email: str, password: str) -> Any:
        return self.submit({"email": email, "password": password})

    def choose(self, sub: str) -> Any:
        return self.submit(button=("account", sub))

    def allow(self, scopes: list[str] | None = None) -> Any:
        """Press Continue with ``scopes`` ticked (all the page offers when None)."""
        assert self.page is not None
        if scopes is None:
            scopes = [value for _, value, _ in forms(self.page.text)[0].checkboxes]
        return self.submit(button=("action", "allow"), check=scopes)

    def deny(self) -> Any:
        return self.submit(button=("action", "deny"))

    def callback_params(self) -> dict[str, str]:
        assert self.left_to is not None, "the flow did not come back to the client"
        return {k: v[0] for k, v in parse_qs(urlsplit(self.left_to).query).items()}
