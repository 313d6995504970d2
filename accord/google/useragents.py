"""Embedded browsers Google refuses with ``disallowed_useragent`` (reference §1.1: Google's
"Use secure browsers" policy forbids sign-in from web views apps embed).

Recognized by the marks their user agents carry:

- Android WebView: ``; wv)`` in the platform part (Android 5+), or the pre-Lollipop
  ``Version/4.0 ... Chrome/`` form without ``Mobile Safari``-only tabs.
- iOS/iPadOS WKWebView and UIWebView: ``AppleWebKit`` and ``Mobile/`` but no ``Safari/``
  (Safari and every full browser on iOS add ``Safari/``).
- In-app browsers of social apps, which are web views: Facebook (``FBAN``/``FBAV``),
  Instagram, LINE, WeChat (``MicroMessenger``), Twitter, Snapchat, TikTok (``musical_ly``,
  ``BytedanceWebview``), LinkedIn.
"""

from __future__ import annotations

import re

_ANDROID_WEBVIEW = re.compile(r"Android [^;)]*;.*\bwv\)|; wv\)")
_ANDROID_OLD_WEBVIEW = re.compile(r"Android.*Version/\d+\.\d+.*Chrome/")
_IOS = re.compile(r"\((?:iPhone|iPad|iPod)[^)]*\).*AppleWebKit/.*Mobile/")
_IN_APP = re.compile(
    r"FBAN/|FBAV/|FB_IAB/|Instagram |\bLine/|MicroMessenger/|Twitter for |Snapchat/|"
    r"musical_ly|BytedanceWebview|LinkedInApp",
)


def is_embedded(user_agent: str | None) -> bool:
    """Whether the request comes from a web view that may not sign in."""
    ua = user_agent or ""
    if _IN_APP.search(ua):
        return True
    if "Android" in ua and (_ANDROID_WEBVIEW.search(ua) or _ANDROID_OLD_WEBVIEW.search(ua)):
        return True
    # The Google app (GSA) on iOS omits "Safari/" but is a full browser Google allows.
    return bool(_IOS.search(ua)) and "Safari/" not in ua and "GSA/" not in ua
