"""``accord demo``: it serves the sample and reuses its data."""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO

import requests

from tests.conftest import ROOT, free_port
from tests.e2e.sample.support import (
    CrossOriginBrowser,
    authorize_through_sample,
)

# accord demo ---------------------------------------------------------------------


class Demo:
    """``accord demo`` as a subprocess, its standard output read line by line."""

    def __init__(self, data_dir: Path, port: int, sample_port: int) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ACCORD_")}
        env.update(ACCORD_DATA_DIR=str(data_dir), ACCORD_ISSUER=f"http://127.0.0.1:{port}")
        self.log = data_dir / f"demo-{port}.log"
        with open(self.log, "wb") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "accord.cli", "demo",
                 "--port", str(port), "--sample-port", str(sample_port)],
                env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=err,
            )
        self.lines: queue.Queue[str | None] = queue.Queue()
        assert self.process.stdout is not None
        threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True).start()

    def _read(self, stream: IO[bytes]) -> None:
        for line in stream:
            self.lines.put(line.decode())
        self.lines.put(None)

    def banner(self) -> dict[str, str]:
        """The ``Label:  value`` lines printed once both servers answer."""
        fields: dict[str, str] = {}
        while True:
            line = self.lines.get(timeout=90)
            if line is None:
                raise AssertionError(f"accord demo ended early: {self.log.read_text()}")
            if line.startswith("Press Ctrl-C"):
                return fields
            label, sep, value = line.strip().partition(":  ")
            if sep:
                fields[label] = value.strip()

    def stop(self, signum: int = signal.SIGTERM) -> int:
        self.process.send_signal(signum)
        return self.process.wait(timeout=30)


def port_closed(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def test_accord_demo_serves_the_sample_and_reuses_its_data(tmp_path: Path) -> None:
    port, sample_port = free_port(), free_port()
    while sample_port == port:
        sample_port = free_port()
    demo = Demo(tmp_path, port, sample_port)
    try:
        shown = demo.banner()
        accord_url, sample_url = f"http://127.0.0.1:{port}", f"http://localhost:{sample_port}"
        assert shown["Open the sample app"] == sample_url
        assert shown["Accord issuer"] == accord_url
        assert shown["Sign in as"] == "demo@example.com"
        assert requests.get(accord_url + "/healthz", timeout=30).status_code == 200
        assert requests.get(sample_url + "/", timeout=30).status_code == 200
        assert (tmp_path / "client_secret.json").stat().st_mode & 0o777 == 0o600

        browser = CrossOriginBrowser()
        authorize_through_sample(
            browser, sample_url, accord_url, shown["Sign in as"], shown["Password"]
        )
        assert browser.open(sample_url + "/drive").json()["kind"] == "drive#fileList"
        assert browser.open(sample_url + "/calendar").status_code == 200
    finally:
        assert demo.stop(signal.SIGTERM) == 0, demo.log.read_text()
    assert port_closed(port) and port_closed(sample_port)
    assert "stopping" in demo.log.read_text()

    # A second run in the same data directory keeps the user, password and client.
    again = Demo(tmp_path, port, sample_port)
    try:
        second = again.banner()
        assert second["Password"] == shown["Password"]
        assert second["Client ID"] == shown["Client ID"]
        browser = CrossOriginBrowser()
        authorize_through_sample(
            browser, sample_url, accord_url, second["Sign in as"], second["Password"]
        )
    finally:
        assert again.stop(signal.SIGINT) == 0, again.log.read_text()
    assert port_closed(port) and port_closed(sample_port)
