"""``accord demo``: Accord with a demo user, project and web client, plus the Flask sample.

It creates (or finds) the demo's data (:mod:`accord.cli.demo_setup`), then starts
``accord serve`` and the sample application as child processes, prints what to open, and
stops both on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from accord.cli.base import Context, Group, handle

if TYPE_CHECKING:
    from accord.cli.demo_setup import DemoData
    from accord.settings import Settings

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
START_TIMEOUT = 60.0
SERVE = "accord serve"
SAMPLE = "the sample application"


class DemoError(RuntimeError):
    """The demo cannot run; the message says why."""


class _Stop(Exception):
    """Raised in the main thread by the SIGTERM handler."""


# Processes -------------------------------------------------------------------------


def _issuer_for(settings: Settings, port: int) -> Settings:
    """When ACCORD_ISSUER is not set, the issuer follows --port."""
    from accord.settings import is_loopback

    if not is_loopback(urlsplit(settings.issuer).hostname or ""):
        # A demo user whose password is printed belongs on this machine only (STYLE §3.14).
        raise DemoError(f"Accord demo runs on a loopback issuer only, not {settings.issuer}.")
    issuer_port = urlsplit(settings.issuer).port
    if issuer_port == port:
        return settings
    if "ACCORD_ISSUER" not in os.environ:
        return replace(settings, issuer=f"http://127.0.0.1:{port}")
    print(
        f"accord demo: warning: ACCORD_ISSUER is {settings.issuer} but Accord listens on port "
        f"{port}; the URLs Accord gives out only work if that address reaches it.",
        file=sys.stderr,
    )
    return settings


def _sample_path(sample: str) -> Path | None:
    if not sample:
        return None
    path = Path(sample)
    for candidate in (path,) if path.is_absolute() else (Path.cwd() / path, REPO_ROOT / path):
        if candidate.is_file():
            return candidate.resolve()
    print(f"accord demo: warning: No sample application at {sample}.", file=sys.stderr)
    return None


def _cap(name: str) -> str:
    return name[:1].upper() + name[1:]


def _port_taken(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex((host, port)) == 0


def _wait_ready(name: str, url: str, process: subprocess.Popen[bytes]) -> None:
    from urllib.error import URLError
    from urllib.request import urlopen

    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise DemoError(f"{_cap(name)} exited with status {process.returncode} "
                            "while starting.")
        try:
            with urlopen(url, timeout=2) as response:  # noqa: S310 (a local http URL)
                if response.status == 200:
                    return
        except (URLError, OSError):
            pass
        time.sleep(0.1)
    raise DemoError(f"{_cap(name)} did not answer at {url} within {START_TIMEOUT:.0f} s.")


def _start(argv: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    # The children's output goes to standard error: standard output is the banner.
    return subprocess.Popen(argv, env=env, stdout=sys.stderr)  # noqa: S603


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _banner(settings: Settings, data: DemoData, sample_url: str | None) -> str:
    lines = ["", "Accord demo is running.", ""]
    if sample_url:
        lines.append(f"  Open the sample app:  {sample_url}")
    lines += [
        f"  Sign in as:          {data.email}",
        f"  Password:            {data.password}",
        f"  Accord issuer:       {settings.issuer}",
        f"  Developer console:   {settings.issuer}/console",
        f"  Your account:        {settings.issuer}/account",
        f"  Client ID:           {data.client_id}",
        f"  Redirect URI:        {data.redirect_uri}",
        f"  client_secret.json:  {data.client_file}",
        "",
        "Press Ctrl-C to stop.",
        "",
    ]
    return "\n".join(lines)


def _watch(children: dict[str, subprocess.Popen[bytes]]) -> None:
    """Returns when a child stops: quietly if it was asked to (Ctrl-C in a terminal
    reaches the children too), else with an error."""
    while all(process.poll() is None for process in children.values()):
        time.sleep(0.2)
    for name, process in children.items():
        status = process.returncode
        if status is not None and status not in (0, -signal.SIGINT, -signal.SIGTERM):
            raise DemoError(f"{_cap(name)} exited with status {status}.")
    print("accord demo: A child process stopped; stopping the demo.", file=sys.stderr)


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop


def _demo(c: Context, args: argparse.Namespace) -> None:
    try:
        _run(c.settings, args)
    except DemoError as exc:
        print(f"accord demo: error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None


def own_data_dir(args: argparse.Namespace, env: Mapping[str, str]) -> Mapping[str, str]:
    """The environment the demo reads its settings from: when ACCORD_DATA_DIR is not set, a
    demo on another port than the default one keeps its database, keys and
    client_secret.json in ./.accord-PORT, so that a second demo does not overwrite what the
    first one's sample uses."""
    from accord.settings import DEFAULT_ISSUER

    if "ACCORD_DATA_DIR" in env or args.port == urlsplit(DEFAULT_ISSUER).port:
        return env
    return {**env, "ACCORD_DATA_DIR": f".accord-{args.port}"}


def _run(settings: Settings, args: argparse.Namespace) -> None:
    from accord.cli.demo_setup import DEMO_EMAIL, prepare

    settings = _issuer_for(settings, args.port)
    sample = _sample_path(args.sample)
    # Before anything is written: a demo that cannot listen changes nothing.
    local_host = _check_addresses(args, DEMO_EMAIL, sample is not None)
    data = prepare(settings, args.sample_port)
    previous = signal.signal(signal.SIGTERM, _raise_stop)
    children: dict[str, subprocess.Popen[bytes]] = {}
    try:
        _supervise(settings, args, data, sample, local_host, children)
    except (KeyboardInterrupt, _Stop):
        print("accord demo: stopping", file=sys.stderr)
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM must not cut this short
        _stop(list(children.values()))
        signal.signal(signal.SIGTERM, previous)


def _check_addresses(args: argparse.Namespace, email: str, sample: bool) -> str:
    """Warns when the demo listens beyond this machine, refuses ports in use, and returns
    the host to reach Accord at from here."""
    from accord.settings import is_loopback

    if not is_loopback(args.host):
        print(
            f"accord demo: warning: Listening on {args.host}: other machines can reach the "
            f"demo user {email}, whose password is printed below.",
            file=sys.stderr,
        )
    any_address = args.host in ("0.0.0.0", "::", "")  # noqa: S104
    local_host: str = "127.0.0.1" if any_address else args.host
    if _port_taken(local_host, args.port):
        raise DemoError(f"Port {args.port} is in use already (try --port).")
    if sample and _port_taken("localhost", args.sample_port):
        raise DemoError(f"Port {args.sample_port} is in use already (try --sample-port).")
    return local_host


def _supervise(
    settings: Settings,
    args: argparse.Namespace,
    data: DemoData,
    sample: Path | None,
    local_host: str,
    children: dict[str, subprocess.Popen[bytes]],
) -> None:
    """Starts Accord and the sample (into `children`), prints the banner once both answer,
    and returns when one of them stops."""
    env = {
        **os.environ,
        "ACCORD_ISSUER": settings.issuer,
        "ACCORD_DATA_DIR": str(settings.data_dir),
        "PYTHONUNBUFFERED": "1",
    }
    children[SERVE] = _start(
        [sys.executable, "-m", "accord.cli", "serve",
         "--host", args.host, "--port", str(args.port)],
        env,
    )
    sample_url = f"http://localhost:{args.sample_port}" if sample else None
    if sample:
        sample_env = {
            **env,
            "CLIENT_SECRETS_FILE": str(data.client_file),
            "SAMPLE_PORT": str(args.sample_port),
        }
        children[SAMPLE] = _start([sys.executable, str(sample)], sample_env)
    netloc = f"[{local_host}]" if ":" in local_host else local_host
    _wait_ready(SERVE, f"http://{netloc}:{args.port}/healthz", children[SERVE])
    if sample_url:
        _wait_ready(SAMPLE, sample_url + "/", children[SAMPLE])
    print(_banner(settings, data, sample_url), flush=True)
    _watch(children)

def _build(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="127.0.0.1",
                   help="the address Accord listens on (default: %(default)s, this machine "
                   "only: the demo user's password is printed)")
    p.add_argument("--port", type=int, default=8400,
                   help="Accord's port (default: %(default)s); when ACCORD_ISSUER is not set "
                   "the issuer follows it, and when ACCORD_DATA_DIR is not set another port "
                   "keeps its own data in ./.accord-PORT")
    p.add_argument("--sample-port", type=int, default=8080,
                   help="the sample application's port (default: %(default)s); its redirect "
                   "URI is http://localhost:PORT/oauth2callback")
    p.add_argument("--sample", default="examples/flask_app/app.py",
                   help="the sample application to start beside Accord, a path from the "
                   "repository root ('' for none; default: %(default)s)")
    p.set_defaults(environment=own_data_dir)
    handle(p, _demo)


GROUP = Group("demo", "serve Accord with a demo user, client and the sample app", _build)
