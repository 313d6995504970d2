"""The Flask sample (``python examples/flask_app/app.py``) as its own process, one per test
module, against the server fixture.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.conftest import Server, free_port
from tests.e2e.sample.support import (
    SAMPLE,
    Sample,
    stopped,
    wait_answering,
)


@pytest.fixture(scope="module")
def sample(server: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sample]:
    port = free_port()
    url = f"http://localhost:{port}"
    client = server.new_client(
        server.new_project("Flask Sample"), redirect_uris=(f"{url}/oauth2callback",)
    )
    env = {
        **os.environ,
        "CLIENT_SECRETS_FILE": str(client.path),
        "ACCORD_ISSUER": server.url,
        "SAMPLE_PORT": str(port),
    }
    log = tmp_path_factory.mktemp("sample") / "sample.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, str(SAMPLE)], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        wait_answering(url + "/", process, log)
        yield Sample(url, client)
    finally:
        stopped(process)
