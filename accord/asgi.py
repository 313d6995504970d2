"""The ASGI application uvicorn imports (``accord.asgi:app``), configured from the environment."""

from accord.app import create_app
from accord.settings import Settings

app = create_app(Settings.from_env())
