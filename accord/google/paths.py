"""Google's endpoint paths, all served on Accord's one origin (reference §1.0).

Google spreads these over several hosts (accounts.google.com,
oauth2.googleapis.com, www.googleapis.com); Accord serves the paths on its
issuer and the client configuration carries the issuer's URLs.
"""

AUTHORIZE = ("/o/oauth2/v2/auth", "/o/oauth2/auth")
TOKEN = ("/token", "/o/oauth2/token", "/oauth2/v4/token")
REVOKE = ("/revoke", "/o/oauth2/revoke")
TOKENINFO = ("/tokeninfo", "/oauth2/v3/tokeninfo")
CERTS_V1 = "/oauth2/v1/certs"
CERTS_V3 = "/oauth2/v3/certs"
DISCOVERY = "/discovery/v1/apis/{api}/{version}/rest"

# The URLs written into client_secret.json (reference §1.12): the legacy auth_uri
# that Google still puts in downloads, and the current token_uri.
CLIENT_SECRET_AUTH_URI = "/o/oauth2/auth"
CLIENT_SECRET_TOKEN_URI = "/token"

# Accord's own pages for sign-in, account choice and consent.
SIGNIN = "/signin"
CHOOSER = "/signin/chooser"
CONSENT = "/signin/consent"
SIGNOUT = "/signout"

# The developer console (Google's console.cloud.google.com, on Accord's origin).
CONSOLE = "/console"

# The token URLs Google's libraries sign into a service account's assertion, whatever the
# key file's token_uri says (reference §1.15, §1.24: google-auth and gtoken hard-code the
# first).
GOOGLE_TOKEN_AUDIENCES = (
    "https://oauth2.googleapis.com/token",
    "https://accounts.google.com/o/oauth2/token",
    "https://www.googleapis.com/oauth2/v4/token",
)


def assertion_audiences(issuer: str) -> frozenset[str]:
    """What a JWT-bearer assertion's ``aud`` may be: each of the issuer's token paths, and
    Google's token URLs."""
    base = issuer.rstrip("/")
    return frozenset((*(base + path for path in TOKEN), *GOOGLE_TOKEN_AUDIENCES))
