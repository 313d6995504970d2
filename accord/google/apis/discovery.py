"""The discovery documents of the demo APIs, and the methods they describe.

googleapiclient builds its service objects from a discovery document
(``build(api, version, discoveryServiceUrl=...)``), so the documents are the
contract: each method's ``path`` is where Accord serves it and each method's
``scopes`` are exactly the scopes it accepts (reference §1.22, §1.24).

The stored documents leave out what depends on where Accord runs (rootUrl,
baseUrl, basePath) and the ``auth`` block, which is built from the methods'
scopes and the consent-page wording in :mod:`accord.google.scopes`.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from accord.google import scopes
from accord.google.apis import APIS, Api

Document = dict[str, Any]


@dataclass(frozen=True)
class Method:
    api: Api
    version: str
    id: str  # "drive.files.list", as googleapiclient names it
    http_method: str
    path: str  # relative to the issuer: "drive/v3/files/{fileId}"
    scopes: frozenset[str]


@cache
def stored(api: str, version: str) -> Document | None:
    if api not in APIS or version not in APIS[api].versions:
        return None
    text = resources.files("accord.google").joinpath("discovery", f"{api}.{version}.json")
    doc: Document = json.loads(text.read_text(encoding="utf-8"))
    return doc


def _methods(resource: Document) -> Iterator[Document]:
    yield from resource.get("methods", {}).values()
    for child in resource.get("resources", {}).values():
        yield from _methods(child)


def methods() -> Iterator[Method]:
    for api in APIS.values():
        for version in api.versions:
            doc = stored(api.name, version)
            assert doc is not None, f"no discovery document for {api.name} {version}"
            for m in _methods(doc):
                yield Method(
                    api=api,
                    version=version,
                    id=m["id"],
                    http_method=m["httpMethod"],
                    path=doc["servicePath"] + m["path"],
                    scopes=frozenset(m["scopes"]),
                )


def _auth(doc: Document) -> Document:
    names = sorted({s for m in _methods(doc) for s in m["scopes"]})
    described = {n: {"description": scopes.describe(n).description} for n in names}
    return {"oauth2": {"scopes": described}}


def render(api: str, version: str, issuer: str) -> Document | None:
    """The document as served: every URL on ``issuer``, so calls come back to Accord."""
    doc = stored(api, version)
    if doc is None:
        return None
    out = copy.deepcopy(doc)
    root = issuer.rstrip("/") + "/"
    out["rootUrl"] = root
    out["baseUrl"] = root + doc["servicePath"]
    out["basePath"] = urlsplit(root).path + doc["servicePath"]
    out["auth"] = _auth(doc)
    return out
