"""Google's redirect URI and JavaScript origin rules (reference §1.11), as pure unit tests.

Each rule has a row in RULES: URIs that come close to the rule but pass, and URIs that break
it (plain, encoded, double-encoded, mixed case), with the rule id the refusal must name.
"""

from __future__ import annotations

import pytest

from accord.google.redirect_rules import (
    MESSAGES,
    RuleViolation,
    check_javascript_origin,
    check_redirect_uri,
    is_loopback_redirect,
    loopback_matches,
)

E = "https://example.com"
LONG = E + "/" + "a" * (2048 - len(E) - 1)  # exactly 2048 characters

# rule id -> (accepted near misses, refused examples)
RULES: dict[str, tuple[list[str], list[str]]] = {
    "oversized": (
        [LONG, E + "/cb?x=" + "b" * 1000],
        [LONG + "a", E + "/" + "a" * 5000, E + "/cb?x=" + "b" * 3000],
    ),
    "null": (
        [E + "/00/cb?n=00", E + "/%2530", E + "/caf%C3%A9", E + "/%C3%80"],
        [
            E + "/cb%00",
            E + "/cb?x=%00",
            E + "/%C0%80",
            E + "/%c0%80",
            E + "/%2500",
            E + "/%252500",
            E + "/%E0%80%80",
            E + "/%F0%80%80%80",
            E + "/cb\x00",
            E + "/%25C0%2580",
        ],
    ),
    "non-printable": (
        [E + "/a%20b", E + "/caf%C3%A9", E + "/~user/!$&'()+,;=:"],
        [
            E + "/a b",
            E + "/cb ",
            " " + E + "/cb",
            E + "/a\tb",
            E + "/cb\n",
            E + "/\x7f",
            E + "/café",
            "https://exämple.com/",
            E + "/\u200bcb",
        ],
    ),
    "percent-encoding": (
        [E + "/%2F", E + "/%aF", E + "/100%25"],
        [E + "/%", E + "/%zz", E + "/%2", E + "/%G0", E + "/%%41", E + "/cb?q=100%"],
    ),
    "wildcard": (
        [E + "/%2A", E + "/star", E + "/cb?q=%2a"],
        ["https://*.example.com/", E + "/*", "https://example.*/", E + "/cb?x=*"],
    ),
    "fragment": (
        [E + "/%23", E + "/cb?x=%23y"],
        [E + "/cb#", E + "/cb#frag", E + "/?a=b#c", E + "#/cb", "#"],
    ),
    "absolute": (
        [E, "https://example.com:8443/cb", "https://EXAMPLE.COM/cb", "https://a-b.example.com/"],
        [
            "",
            "/cb",
            "example.com/cb",
            "//example.com/cb",
            "https:example.com/cb",
            "http:/localhost/cb",
            "https:///cb",
            "https://:443/cb",
            "https://example.com:0/",
            "https://example.com:99999/",
            "https://example.com:/",
            "https://example.com:80a/",
            "https://exa_mple.com/",
            "https://-example.com/",
            "https://example..com/",
            "https://example.com./",
            "https://exa%6Dple.com/",
            "https://example.com\\evil.com/",
        ],
    ),
    "scheme": (
        [
            "HTTPS://example.com/cb",
            "http://localhost/cb",
            "http://127.0.0.1:8080/cb",
            "Http://[::1]/",
        ],
        [
            "http://example.com/cb",
            "HTTP://Example.com/cb",
            "http://foo.localhost/cb",
            "http://localhost.example.com/",
            "ftp://example.com/",
            "ws://example.com/",
            "file:///etc/passwd",
            "javascript://example.com/%0Aalert(1)",
            "com.example.app://oauth2redirect",
        ],
    ),
    "userinfo": (
        [E + "/@user", E + "/cb?u=a@b.example"],
        [
            "https://user@example.com/",
            "https://user:pass@example.com/",
            "https://:@example.com/",
            "HTTPS://USER@EXAMPLE.COM/",
            "https://example.com%40evil.com/",
            "https://evil.com%40example.com/",
            "https://good.com\\@evil.com/",
            "http://user@localhost:8080/",
        ],
    ),
    "ip": (
        [
            "http://127.0.0.1/cb",
            "http://127.255.255.254:9/",
            "http://[::1]:8080/cb",
            "http://[0:0:0:0:0:0:0:1]/",
            "https://1password.com/",
            "https://123.example.com/",
        ],
        [
            "https://8.8.8.8/",
            "https://192.168.0.1/cb",
            "http://10.0.0.1/",
            "http://0.0.0.0/",
            "https://[2001:db8::1]/",
            "http://[::]/",
            "http://[::ffff:127.0.0.1]/",
            "http://[::1%25lo0]/",
            "http://2130706433/",
            "http://0x7f000001/",
            "http://0X7F.0.0.1/",
            "http://0177.0.0.1/",
            "http://127.1/",
            "http://127.0.0.01/",
            "https://example.123/",
        ],
    ),
    "public-suffix": (
        [
            "https://example.co.uk/cb",
            "https://myapp.appspot.com/cb",
            "https://user.github.io/cb",
            "https://a.b.example.com/",
            "https://example.xn--p1ai/",
        ],
        [
            "https://com/",
            "https://co.uk/",
            "HTTPS://CO.UK/cb",
            "https://appspot.com/",
            "https://github.io/",
            "https://example.invalidtld/",
            "https://example.local/",
            "https://example.test/",
            "https://foo.localhost/",
            "https://intranet/",
        ],
    ),
    "googleusercontent": (
        [
            "https://googleusercontent.example.com/",
            "https://notgoogleusercontent.com/",
            E + "/googleusercontent.com",
        ],
        [
            "https://googleusercontent.com/",
            "https://x.googleusercontent.com/cb",
            "HTTPS://GoogleUserContent.com/x",
            "https://a.b.GOOGLEUSERCONTENT.COM/",
        ],
    ),
    "shortener": (
        [
            "https://bit.ly/google-callback",
            "https://goo.gl/google-callback/done",
            "https://x.bit.ly/google-callback",
            "https://bitly.example.com/cb",
            "https://notbit.ly/cb",
        ],
        [
            "https://goo.gl/cb",
            "https://bit.ly/abc",
            "https://BIT.LY/x",
            "https://www.tinyurl.com/cb",
            "https://t.co/google-callbackx",
            "https://g.co/Google-Callback",
            "https://bit.ly/x?p=/google-callback",
        ],
    ),
    "path-traversal": (
        [E + "/a..b", E + "/.well-known/cb", E + "/a/./b", E + "/cb?p=../x"],
        [
            E + "/a/../b",
            E + "/..",
            E + "/a\\..\\b",
            E + "/a/%2e%2e/b",
            E + "/a/%2E%2E/b",
            E + "/a/.%2E/b",
            E + "/a%2f..",
            E + "/a%2F%2E%2E",
            E + "/a%5c..",
            E + "/a/..%2fb",
            E + "/a/..%5Cb",
            E + "/a/%252e%252e/b",
            E + "/a/%25252E%25252E/b",
            E + "/a/%c0%ae%c0%ae/b",
            E + "/a%C0%AF..",
        ],
    ),
    "open-redirect": (
        [
            E + "/cb?next=/home",
            E + "/cb?t=12:30",
            E + "/cb?x=a//b",
            E + "/cb?mode=https",
            E + "/cb?",
        ],
        [
            E + "/cb?next=https://evil.com",
            E + "/cb?u=//evil.com",
            E + "/cb?u=https%3A%2F%2Fevil.com",
            E + "/cb?u=HTTPS%3a%2f%2fevil.com",
            E + "/cb?u=%2F%2Fevil.com",
            E + "/cb?u=https%253A%252F%252Fevil.com",
            E + "/cb?u=\\\\evil.com",
            E + "/cb?u=/%5Cevil.com",
            E + "/cb?u=https:evil.com",
            E + "/cb?u=javascript:alert(1)",
            E + "/cb?a=1&redirect_uri=http://evil.com",
            E + "/cb?https://evil.com",
            E + "/cb?u=%09//evil.com",
            E + "/cb?u=+//evil.com",
            E + "/cb?u=ht%09tps://evil.com",
            E + "/cb?u=%c0%af%c0%afevil.com",
        ],
    ),
}


def _params(accepted: bool) -> list[object]:
    return [
        pytest.param(uri, rule, id=f"{rule}-{n}")
        for rule, (good, bad) in RULES.items()
        for n, uri in enumerate(good if accepted else bad)
    ]


@pytest.mark.parametrize(("uri", "rule"), _params(accepted=True))
def test_redirect_uri_near_misses_are_accepted(uri: str, rule: str) -> None:
    """Reference §1.11: URIs close to a rule, but within it, register fine."""
    check_redirect_uri(uri)
    check_redirect_uri(uri, client_type="desktop")


@pytest.mark.parametrize(("uri", "rule"), _params(accepted=False))
def test_redirect_uri_breaking_a_rule_is_refused_naming_that_rule(uri: str, rule: str) -> None:
    """Reference §1.11: each refusal names the rule and says why, console-style."""
    with pytest.raises(RuleViolation) as caught:
        check_redirect_uri(uri)
    assert caught.value.rule == rule
    assert str(caught.value) == caught.value.message
    assert caught.value.message.startswith("Invalid Redirect: ")
    assert isinstance(caught.value, ValueError)


def test_every_rule_has_at_least_two_accepted_and_three_refused_examples() -> None:
    """Reference §1.11: the table covers every rule id the module can report."""
    rules = {key.split("/")[0] for key in MESSAGES} - {"origin-path"}
    assert rules == set(RULES)
    for good, bad in RULES.values():
        assert len(good) >= 2 and len(bad) >= 3


def test_google_console_wording_for_the_public_suffix_rule() -> None:
    """Reference §1.11: the host must end in a public suffix and not be one itself."""
    with pytest.raises(RuleViolation, match="valid top private domain"):
        check_redirect_uri("https://co.uk/cb")
    with pytest.raises(RuleViolation, match="public top-level domain"):
        check_redirect_uri("https://example.invalidtld/cb")


@pytest.mark.parametrize(
    ("uri", "rule"),
    [
        pytest.param("http://localhost", None, id="localhost-no-port"),
        pytest.param("http://localhost:53117/", None, id="localhost-port"),
        pytest.param("http://127.0.0.1", None, id="ipv4-no-port"),
        pytest.param("http://[::1]:8080", None, id="ipv6-port"),
        pytest.param("http://example.com/", "scheme", id="http-non-loopback"),
        pytest.param("https://bit.ly/x", "shortener", id="shortener"),
        pytest.param("http://localhost/cb#x", "fragment", id="fragment"),
    ],
)
def test_desktop_clients_use_loopback_and_the_same_rules(uri: str, rule: str | None) -> None:
    """Reference §1.11 and §1.12: installed apps redirect to http loopback; other rules hold."""
    if rule is None:
        check_redirect_uri(uri, client_type="desktop")
        return
    with pytest.raises(RuleViolation) as caught:
        check_redirect_uri(uri, client_type="desktop")
    assert caught.value.rule == rule


def test_unknown_client_type_is_a_programming_error() -> None:
    """Reference §1.11 covers web and installed (desktop) clients only."""
    with pytest.raises(ValueError) as caught:
        check_redirect_uri("https://example.com/cb", client_type="tv")
    assert not isinstance(caught.value, RuleViolation)


@pytest.mark.parametrize(
    "origin",
    [
        "https://example.com",
        "https://app.example.co.uk:8443",
        "HTTPS://EXAMPLE.COM",
        "http://localhost",
        "http://localhost:3000",
        "http://127.0.0.1:8080",
        "http://[::1]:5000",
        "https://bit.ly",
    ],
)
def test_javascript_origin_accepted(origin: str) -> None:
    """Reference §1.11: an origin is scheme://host[:port] under the redirect URI host rules."""
    check_javascript_origin(origin)


@pytest.mark.parametrize(
    ("origin", "rule"),
    [
        ("https://example.com/", "origin-path"),
        ("https://example.com/app", "origin-path"),
        ("https://example.com/%2e%2e", "origin-path"),
        ("https://example.com?x=1", "origin-path"),
        ("https://example.com?", "origin-path"),
        ("http://localhost:3000/", "origin-path"),
        ("https://example.com#", "fragment"),
        ("https://user@example.com", "userinfo"),
        ("https://example.com%40evil.com", "userinfo"),
        ("http://example.com", "scheme"),
        ("ftp://example.com", "scheme"),
        ("https://8.8.8.8", "ip"),
        ("http://2130706433", "ip"),
        ("https://com", "public-suffix"),
        ("https://example.invalidtld", "public-suffix"),
        ("https://x.googleusercontent.com", "googleusercontent"),
        ("https://*.example.com", "wildcard"),
        ("https://exa mple.com", "non-printable"),
        ("https://example.com%00", "null"),
        ("https://example.com%", "percent-encoding"),
        ("example.com", "absolute"),
        ("https://example.com:99999", "absolute"),
    ],
    ids=lambda value: str(value)[:40],
)
def test_javascript_origin_refused(origin: str, rule: str) -> None:
    """Reference §1.11: no path, no trailing slash, no query; the same host rules apply."""
    with pytest.raises(RuleViolation) as caught:
        check_javascript_origin(origin)
    assert caught.value.rule == rule
    assert caught.value.message.startswith("Invalid Origin: ")


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("http://127.0.0.1:5000/", True),
        ("http://127.0.0.2/cb", True),
        ("http://[::1]:8080", True),
        ("http://localhost:1234/cb", True),
        ("http://localhost", True),
        ("HTTP://LOCALHOST:8080/cb", True),
        ("https://localhost:8080/", False),
        ("https://example.com/", False),
        ("http://2130706433/", False),
        ("http://localhost/#x", False),
        ("http://foo.localhost/", False),
        ("http://[::ffff:127.0.0.1]/", False),
        ("not a uri", False),
    ],
)
def test_is_loopback_redirect(uri: str, expected: bool) -> None:
    """Reference §1.11: loopback is http to localhost, 127.0.0.0/8 or [::1], any port."""
    assert is_loopback_redirect(uri) is expected


@pytest.mark.parametrize(
    ("registered", "requested", "expected"),
    [
        pytest.param("http://127.0.0.1:5000/", "http://127.0.0.1:8080/", True, id="port-differs"),
        pytest.param("http://localhost", "http://localhost:8080/", True, id="installed-app-flow"),
        pytest.param("http://[::1]:1/cb", "http://[::1]:2/cb", True, id="ipv6"),
        pytest.param("http://localhost/cb?x=1", "http://localhost:9/cb?x=1", True, id="query"),
        pytest.param("HTTP://LOCALHOST:1/cb", "http://localhost:2/cb", True, id="host-case"),
        pytest.param("http://127.0.0.1:5000/a", "http://127.0.0.1:8080/b", False, id="path"),
        pytest.param("http://localhost:1/CB", "http://localhost:2/cb", False, id="path-case"),
        pytest.param("http://localhost/cb?x=1", "http://localhost/cb?x=2", False, id="query"),
        pytest.param("https://localhost:5000/", "https://localhost:8080/", False, id="https"),
        pytest.param("http://localhost:5000/", "http://127.0.0.1:5000/", False, id="host"),
        pytest.param("http://127.0.0.1/", "http://127.0.0.2/", False, id="other-loopback"),
        pytest.param("https://example.com:1/", "https://example.com:2/", False, id="not-loop"),
        pytest.param("http://localhost:1/cb", "http://localhost:2/cb#x", False, id="invalid"),
    ],
)
def test_loopback_matches_ignores_only_the_port(
    registered: str, requested: str, expected: bool
) -> None:
    """Reference §1.11: exact match, except that a loopback redirect may use any port."""
    assert loopback_matches(registered, requested) is expected
