"""Drive files.list and files.get, in the v3 and the v2 shapes.

v3 answers a few fields unless ``fields`` asks for more (``kind,id,name,mimeType``
per file); v2 answers whole resources. The seed's Flask sample calls v2
(``build('drive', 'v2', ...)`` then ``files().list()``), the quickstarts v3.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlencode

from accord.google.apis import samples
from accord.google.apis.calls import Body, Call
from accord.google.apis.errors import file_not_found
from accord.google.apis.paging import page, page_size, rfc3339
from accord.google.apis.samples import SampleFile

V3_FILE_DEFAULT = "kind,id,name,mimeType"
V3_LIST_DEFAULT = f"kind,nextPageToken,incompleteSearch,files({V3_FILE_DEFAULT})"
MAX_PAGE = 1000  # larger page sizes are cut to this (both versions)


def _find(call: Call) -> SampleFile:
    file_id = call.path["fileId"]
    for f in samples.files(call.subject.principal.sub, call.now):
        if f.id == file_id:
            return f
    raise file_not_found(file_id)


def _etag(*parts: object) -> str:
    return '"' + hashlib.sha256(repr(parts).encode()).hexdigest()[:26] + '"'


# v3 ---------------------------------------------------------------------------------
def v3_file(f: SampleFile, call: Call) -> Body:
    s = call.subject
    body: Body = {
        "kind": "drive#file",
        "id": f.id,
        "name": f.name,
        "mimeType": f.mime_type,
        "starred": f.starred,
        "trashed": False,
        "parents": [samples.root_folder(s.principal.sub)],
        "version": str(f.version),
        "createdTime": rfc3339(f.created),
        "modifiedTime": rfc3339(f.modified),
        "owners": [
            {
                "kind": "drive#user",
                "displayName": call.display_name,
                "me": True,
                "permissionId": samples.permission_id(s.principal.sub),
                "emailAddress": s.principal.email,
            }
        ],
        "ownedByMe": True,
    }
    if f.size is not None:
        body["size"] = str(f.size)
    return body


def v3_list(call: Call) -> Body:
    size = page_size(call.query, "pageSize", 100, MAX_PAGE)
    items, next_token = page(samples.files(call.subject.principal.sub, call.now), call.query, size)
    body: Body = {"kind": "drive#fileList"}
    if next_token:
        body["nextPageToken"] = next_token
    body["incompleteSearch"] = False
    body["files"] = [v3_file(f, call) for f in items]
    return body


def v3_get(call: Call) -> Body:
    return v3_file(_find(call), call)


# v2 ---------------------------------------------------------------------------------
def _v2_files_url(call: Call) -> str:
    return call.issuer.rstrip("/") + "/drive/v2/files"


def v2_file(f: SampleFile, call: Call) -> Body:
    s = call.subject
    body: Body = {
        "kind": "drive#file",
        "id": f.id,
        "etag": _etag(f.id, f.version),
        "selfLink": f"{_v2_files_url(call)}/{f.id}",
        "title": f.name,
        "mimeType": f.mime_type,
        "labels": {
            "starred": f.starred,
            "hidden": False,
            "trashed": False,
            "restricted": False,
            "viewed": True,
        },
        "createdDate": rfc3339(f.created),
        "modifiedDate": rfc3339(f.modified),
        "version": str(f.version),
        "parents": [
            {
                "kind": "drive#parentReference",
                "id": samples.root_folder(s.principal.sub),
                "isRoot": True,
            }
        ],
        "ownerNames": [call.display_name],
        "owners": [
            {
                "kind": "drive#user",
                "displayName": call.display_name,
                "isAuthenticatedUser": True,
                "permissionId": samples.permission_id(s.principal.sub),
                "emailAddress": s.principal.email,
            }
        ],
        "editable": True,
        "copyable": True,
        "shared": False,
    }
    if f.size is not None:
        body["fileSize"] = str(f.size)
    return body


def v2_list(call: Call) -> Body:
    size = page_size(call.query, "maxResults", 100, MAX_PAGE)
    files = samples.files(call.subject.principal.sub, call.now)
    items, next_token = page(files, call.query, size)
    body: Body = {
        "kind": "drive#fileList",
        "etag": _etag(call.subject.principal.sub, [(f.id, f.version) for f in files]),
        "selfLink": _v2_files_url(call),
    }
    if next_token:
        body["nextPageToken"] = next_token
        query = {"maxResults": str(size), "pageToken": next_token}
        body["nextLink"] = _v2_files_url(call) + "?" + urlencode(query)
    body["incompleteSearch"] = False
    body["items"] = [v2_file(f, call) for f in items]
    return body


def v2_get(call: Call) -> Body:
    return v2_file(_find(call), call)
