"""Accord: a self-hosted OAuth 2.0 and OpenID Connect server speaking Google's dialect."""

__all__ = ["__version__"]
__version__ = "0.1.0"
