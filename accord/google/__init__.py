"""Google's dialect of OAuth 2.0: paths, scope names, token shapes, error pages.

Every Google-specific name lives in this package and cites
``shared/reference/google-oauth.md`` (the reference) by section.
"""
