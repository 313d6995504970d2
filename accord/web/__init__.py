"""The HTTP layer (Starlette): one module per endpoint, each parse -> core -> render."""
