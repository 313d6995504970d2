"""Demo Google APIs (placeholder until the resource server lands)."""

from starlette.routing import BaseRoute

routes: list[BaseRoute] = []
