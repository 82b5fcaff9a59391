"""Serving the app for a benchmark: gunicorn with production settings on a loopback port, requests
to it as from the TLS proxy, and staff signed in server-side.

Shared by bench/bench_load.py and bench/bench_national_pages.py. Django must be set up (with the
database the server will use) before `signed_in_cookie` is called.
"""

import argparse
import http.client
import os
import socket
import subprocess
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

if TYPE_CHECKING:
    from stagewise.accounts.models import User

PROJECT = Path(__file__).resolve().parent.parent
SERVER = "postgres://postgres@127.0.0.1:5432"
HOST = "stagewise.example"


def production_environment(database: str, work_directory: Path) -> dict[str, str]:
    """The settings gunicorn runs with, as scripts/production-check sets them."""
    return {
        "STAGEWISE_ENVIRONMENT": "production",
        "STAGEWISE_SECRET_KEY": "bench-" + uuid.uuid4().hex + uuid.uuid4().hex,
        "STAGEWISE_ALLOWED_HOSTS": HOST,
        "STAGEWISE_EMAIL_HOST": "smtp.stagewise.example",
        "STAGEWISE_DEFAULT_FROM_EMAIL": "no-reply@stagewise.example",
        "STAGEWISE_STATIC_ROOT": str(work_directory / "static"),
        "STAGEWISE_FILE_STORAGE": "local",
        "STAGEWISE_MEDIA_ROOT": str(work_directory / "media"),
        "STAGEWISE_DEBUG": "false",
        "DATABASE_URL": f"{SERVER}/{database}",
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(
    *,
    environment: dict[str, str],
    port: int,
    workers: int,
    threads: int,
    timeout: float,
    log_path: Path,
) -> subprocess.Popen[bytes]:
    """gunicorn (gthread, `workers` x `threads`) on 127.0.0.1:`port`, once it answers /health/."""
    log = open(log_path, "w")  # noqa: SIM115 - open while gunicorn runs
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            str(PROJECT / ".venv" / "bin" / "gunicorn"),
            "stagewise.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--worker-class",
            "gthread",
            "--timeout",
            str(timeout),
            "--log-level",
            "warning",
        ],
        cwd=PROJECT,
        env={**os.environ, **environment},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    for _attempt in range(120):
        try:
            if request(port, "GET", "/health/", {}, 5)[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.5)
    server.terminate()
    raise SystemExit(f"gunicorn did not answer /health/: see {log_path}")


def serve(
    arguments: argparse.Namespace, environment: dict[str, str], work_directory: Path
) -> tuple[int, subprocess.Popen[bytes]]:
    """gunicorn as `arguments` ask (`workers`, `threads`, `timeout`) on a free port: the port and
    the server. Its log is gunicorn.log in `work_directory`."""
    port = free_port()
    server = start_gunicorn(
        environment=environment,
        port=port,
        workers=arguments.workers,
        threads=arguments.threads,
        timeout=arguments.timeout,
        log_path=work_directory / "gunicorn.log",
    )
    return port, server


def stop_gunicorn(server: subprocess.Popen[bytes]) -> bool:
    """Stop the server; whether it was still running."""
    alive = server.poll() is None
    server.terminate()
    server.wait(timeout=60)
    return alive


def request(
    port: int,
    method: str,
    path: str,
    cookies: dict[str, str],
    timeout: float,
    form: dict[str, str] | None = None,
) -> tuple[int, str, str]:
    """(status, Location, body) of one request on a new connection, as through the TLS proxy.
    Cookies the server sets are kept in `cookies`."""
    headers = {
        "Host": HOST,
        "X-Forwarded-Proto": "https",
        "Connection": "close",
        "Cookie": "; ".join(f"{name}={value}" for name, value in cookies.items()),
    }
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Origin"] = f"https://{HOST}"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read().decode(errors="replace")
        for header in response.msg.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                cookies[name] = morsel.value
        return response.status, response.getheader("Location") or "", content
    finally:
        connection.close()


def signed_in_cookies(user: "User") -> dict[str, str]:
    """The cookies of a session signed in server-side (Client.force_login): all a client needs,
    as after the sign-in and two-factor forms (staff have an authenticator app)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}
