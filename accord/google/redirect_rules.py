r"""Google's redirect URI and JavaScript origin validation rules (reference §1.11).

Pure functions; the only data is the pinned public suffix list. Checks run in this order,
cheapest and most fundamental first, and the first failure names its rule id:

 1. oversized          more than 2048 characters
 2. null               NUL, %00 or overlong %C0%80 / %E0%80%80, at any encoding depth (%2500)
 3. non-printable      anything but ASCII 0x21-0x7E: space, controls, non-ASCII
 4. percent-encoding   '%' not followed by two hex digits
 5. wildcard           a literal '*' (an encoded %2A is a plain asterisk, accepted)
 6. fragment           '#' anywhere
 7. absolute           no "scheme://", a malformed or empty host, a bad port
 8. scheme             a scheme other than http/https
 9. userinfo           '@' or %40 in the authority
10. origin-path        (origins) any path, even a lone '/', or a query
11. ip                 raw IPs other than canonical 127.0.0.0/8 and [::1]; WHATWG IPv4 forms
                       (2130706433, 0x7f.1, 0177.0.0.1, 127.1) are refused even for loopback
12. scheme             http on a host that is not loopback
13. public-suffix      the host must sit under a listed public suffix and not BE one
14. googleusercontent  googleusercontent.com and its subdomains
15. shortener          (redirects) shortener domains, unless the path has /google-callback/
                       or ends with /google-callback
16. path-traversal     (redirects) /.. \.. ../ ..\ after percent-decoding (any depth or case)
                       and after replacing overlong UTF-8 dots and slashes
17. open-redirect      (redirects) a query key or value decoding to an absolute or
                       scheme-relative URL: https://x, //x, \\x, https:x, javascript:

Decisions: loopback is exactly `localhost`, canonical 127.0.0.0/8 and [::1] (`*.localhost`
fails public-suffix). The suffix list is used with its ICANN and private sections, unknown
TLDs refused: appspot.com, github.io refused, myapp.appspot.com accepted. Web and desktop
clients share every rule; desktop's any-port loopback applies at match (`loopback_matches`).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import unquote

from publicsuffixlist import PublicSuffixList

MAX_LENGTH = 2048
CLIENT_TYPES = ("web", "desktop")

# A small list maintained here (reference §1.11 "URL shortener domains (e.g. goo.gl)").
SHORTENERS = frozenset({
    "goo.gl", "g.co", "bit.ly", "bitly.com", "j.mp", "t.co", "tinyurl.com", "ow.ly", "is.gd",
    "v.gd", "buff.ly", "rebrand.ly", "cutt.ly", "shorturl.at", "tiny.cc", "rb.gy", "bl.ink",
    "lnkd.in", "t.ly", "tr.im", "dlvr.it", "fb.me", "youtu.be", "amzn.to",
})  # fmt: skip

# rule id (with an optional "/variant") -> message, after "Invalid Redirect: " or "Invalid Origin: "
MESSAGES = {
    "oversized": f"must be at most {MAX_LENGTH} characters long",
    "null": "cannot contain null characters (%00, %C0%80)",
    "non-printable": "cannot contain whitespace, control or non-ASCII characters",
    "percent-encoding": "'%' must be followed by two hexadecimal digits",
    "wildcard": "cannot contain a wildcard ('*')",
    "fragment": "cannot contain a fragment ('#')",
    "absolute": "must be an absolute URI (https://host/path)",
    "absolute/domain": "must contain a valid domain",
    "absolute/port": "the port must be a number from 1 to 65535",
    "scheme": "must use either http or https as the scheme",
    "scheme/https": "must use https unless the host is localhost",
    "userinfo": "cannot contain userinfo (user:password@)",
    "origin-path": 'URIs must not contain a path or end with "/".',
    "ip": "cannot use a raw IP address unless it is a loopback address",
    "public-suffix": "must end with a public top-level domain (such as .com or .org).",
    "public-suffix/private": "must use a domain that is a valid top private domain.",
    "googleusercontent": "cannot use googleusercontent.com or its subdomains",
    "shortener": "cannot use a URL shortener unless the path has /google-callback(/)",
    "path-traversal": "cannot contain a path traversal ('/..' or '\\..', even encoded)",
    "open-redirect": "cannot contain an open redirect (a URL in the query)",
}

_SCHEME_AUTHORITY = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://([^/?]*)([^?]*)(?:\?(.*))?", re.S)
_HOST_PORT = re.compile(r"(\[[^\]]*\]|[^:\[\]]*)(?::([0-9]*))?")
_DOMAIN = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*")
_IPV4_ISH = re.compile(r"0x[0-9a-f]*|[0-9]+")  # WHATWG: a host "ending in a number" is IPv4
_V6_LOOPBACK = ipaddress.IPv6Address("::1")  # not ::ffff:127.0.0.1
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_OVERLONG = {  # overlong UTF-8 for NUL, "." "/" and "\\", lower case
    "%c0%80": "\x00", "%e0%80%80": "\x00", "%f0%80%80%80": "\x00", "%c0%ae": ".",
    "%e0%80%ae": ".", "%c0%af": "/", "%c1%9c": "\\",
}  # fmt: skip
_TRAVERSALS = ("/..", "\\..", "../", "..\\")
_ABSOLUTE_URL = re.compile(
    r"[\x00-\x20]*(?:(?:[a-z][a-z0-9+.-]*:)?[/\\]{2}|(?:https?|ftp|wss?|javascript|data|vbscript):)",
    re.I,
)


class RuleViolation(ValueError):
    """A redirect URI or origin broke one of Google's rules; str(exc) is the message."""

    rule: str
    message: str

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message


def _refuse(key: str, what: str) -> RuleViolation:
    return RuleViolation(key.split("/")[0], f"{what}: {MESSAGES[key]}")


@dataclass(frozen=True)
class _Parts:
    scheme: str  # lower case
    host: str  # lower case, IPv6 keeps its brackets
    kind: str  # "loopback", "ip" or "domain"
    path: str
    query: str | None


@cache
def _psl() -> PublicSuffixList:
    return PublicSuffixList(accept_unknown=False)  # ICANN + private sections, bundled copy


def _decodings(text: str, depth: int = 4) -> list[str]:
    """`text` and its successive percent-decodings, lower case, overlong UTF-8 replaced."""
    out: list[str] = []
    for _ in range(depth):
        for overlong, plain in _OVERLONG.items():
            text = text.lower().replace(overlong, plain)
        out.append(text)
        text = unquote(text)
        if text == out[-1]:
            break
    return out


def _check_characters(uri: str, what: str) -> None:
    if len(uri) > MAX_LENGTH:
        raise _refuse("oversized", what)
    if any("\x00" in text for text in _decodings(uri)):
        raise _refuse("null", what)
    if any(not 0x21 <= ord(ch) <= 0x7E for ch in uri):
        raise _refuse("non-printable", what)
    if _BAD_PERCENT.search(uri):
        raise _refuse("percent-encoding", what)
    if "*" in uri:
        raise _refuse("wildcard", what)
    if "#" in uri:
        raise _refuse("fragment", what)


def _host_kind(host: str, what: str) -> str:
    if host.startswith("["):
        try:
            v6_loopback = "%" not in host and ipaddress.IPv6Address(host[1:-1]) == _V6_LOOPBACK
        except ValueError:
            return "ip"
        return "loopback" if v6_loopback else "ip"
    if _IPV4_ISH.fullmatch(host.rsplit(".", 1)[-1]):
        try:  # only canonical dotted decimal: no 2130706433, 0x7f.1, 0177.0.0.1, 127.1
            return "loopback" if ipaddress.IPv4Address(host).is_loopback else "ip"
        except ValueError:
            return "ip"
    if host == "localhost":
        return "loopback"
    if len(host) > 253 or not _DOMAIN.fullmatch(host):
        raise _refuse("absolute/domain", what)
    return "domain"


def _parse(uri: str, what: str) -> _Parts:
    match = _SCHEME_AUTHORITY.fullmatch(uri)
    if match is None:
        raise _refuse("absolute", what)
    scheme, authority, path, query = match.groups()
    if scheme.lower() not in ("http", "https"):
        raise _refuse("scheme", what)
    if "@" in authority or "%40" in authority.lower():
        raise _refuse("userinfo", what)
    host_port = _HOST_PORT.fullmatch(authority.lower())
    if host_port is None or not host_port.group(1):
        raise _refuse("absolute/domain", what)
    host, port = host_port.groups()
    if port is not None and not (port.isdigit() and 0 < int(port) < 65536):
        raise _refuse("absolute/port", what)
    return _Parts(scheme.lower(), host, _host_kind(host, what), path, query)


def _check_host(parts: _Parts, what: str) -> None:
    if parts.kind == "ip":
        raise _refuse("ip", what)
    if parts.scheme == "http" and parts.kind != "loopback":
        raise _refuse("scheme/https", what)
    if parts.kind != "domain":
        return
    if _psl().publicsuffix(parts.host) is None:
        raise _refuse("public-suffix", what)
    if _psl().privatesuffix(parts.host) is None:
        raise _refuse("public-suffix/private", what)
    if parts.host == "googleusercontent.com" or parts.host.endswith(".googleusercontent.com"):
        raise _refuse("googleusercontent", what)


def _check_shortener(parts: _Parts, what: str) -> None:
    if parts.kind != "domain" or _psl().privatesuffix(parts.host) not in SHORTENERS:
        return
    if "/google-callback/" not in parts.path and not parts.path.endswith("/google-callback"):
        raise _refuse("shortener", what)


def _check_path(path: str, what: str) -> None:
    if any(step in text for text in _decodings(path) for step in _TRAVERSALS):
        raise _refuse("path-traversal", what)


def _check_query(query: str | None, what: str) -> None:
    pairs = (pair.partition("=") for pair in (query or "").split("&"))
    for item in (text for key, _, value in pairs for text in (key, value)):
        for text in _decodings(item.replace("+", " ")):
            if _ABSOLUTE_URL.match(re.sub(r"[\t\r\n]", "", text)):  # browsers drop these
                raise _refuse("open-redirect", what)


def check_redirect_uri(uri: str, *, client_type: str = "web") -> None:
    """Raise RuleViolation unless `uri` may be registered as a redirect URI (§1.11)."""
    if client_type not in CLIENT_TYPES:
        raise ValueError(f"client_type must be one of {CLIENT_TYPES}, not {client_type!r}")
    what = "Invalid Redirect"
    _check_characters(uri, what)
    parts = _parse(uri, what)
    _check_host(parts, what)
    _check_shortener(parts, what)
    _check_path(parts.path, what)
    _check_query(parts.query, what)


def check_javascript_origin(origin: str) -> None:
    """Raise RuleViolation unless `origin` is scheme://host[:port] under the §1.11 rules."""
    what = "Invalid Origin"
    _check_characters(origin, what)
    parts = _parse(origin, what)
    if parts.path or parts.query is not None:
        raise _refuse("origin-path", what)
    _check_host(parts, what)


def is_loopback_redirect(uri: str) -> bool:
    """A valid http redirect URI to localhost, 127.0.0.0/8 or [::1], with or without port."""
    try:
        check_redirect_uri(uri, client_type="desktop")
    except RuleViolation:
        return False
    parts = _parse(uri, "")
    return parts.scheme == "http" and parts.kind == "loopback"


def loopback_matches(registered: str, requested: str) -> bool:
    """Loopback URIs match whatever their ports (G-INST: the app picks a free port).

    Scheme and host compare case-insensitively, path and query exactly; an empty path
    equals "/" so that `http://localhost` matches InstalledAppFlow's `http://localhost:N/`.
    """
    if not (is_loopback_redirect(registered) and is_loopback_redirect(requested)):
        return False
    a, b = _parse(registered, ""), _parse(requested, "")
    return (a.host, a.path or "/", a.query) == (b.host, b.path or "/", b.query)
