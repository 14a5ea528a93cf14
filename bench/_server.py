"""Start the site on loopback with production-like settings, for the e2e tests and the benches.

`start_site()` prepares its own database (a SQLite file in a work folder, or, when DATABASE_URL points at PostgreSQL,
a separate database `inclusion_e2e_<pid>` created here and dropped by `LiveSite.stop()`), then runs, as subprocesses:
`migrate`, `createcachetable`, `load_open_data --departements … --data-dir …`, `seed_demo`, `warm_cache`,
`collectstatic`, and finally gunicorn bound to 127.0.0.1 on a free port (as docker/entrypoint.sh does).
Settings: DEBUG off, a random SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, and the HTTPS-only switches off because loopback
has no TLS (SECURE_SSL_REDIRECT=0, SESSION_COOKIE_SECURE=0, CSRF_COOKIE_SECURE=0).

`sign_in()` signs a user in against a running site through its real sign-in form and returns the session cookies;
`browser_cookies()` turns them into Playwright cookies. The e2e fixtures and every bench that needs a signed-in user
(weight, bandwidth, load) use them instead of each filling the form their own way.

Used by tests/e2e (loaded by path, see tests/e2e/helpers.server_module) and bench/*.py (`from _server import …`).
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
DEFAULT_DEPARTEMENTS = ("18", "69", "84")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://", "pgsql://"))


def _pg_admin(url: str, sql: str) -> None:
    """Run one statement (CREATE/DROP DATABASE) on the server's `postgres` maintenance database."""
    import psycopg

    parts = urlsplit(url)
    admin_url = urlunsplit((parts.scheme.replace("pgsql", "postgresql"), parts.netloc, "/postgres", "", ""))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql)


def _with_db_name(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


@dataclass
class LiveSite:
    base_url: str
    env: dict[str, str]
    workdir: Path
    database_url: str
    pg_database: str | None = None
    commands: set[str] = field(default_factory=set)
    timings: dict[str, float] = field(default_factory=dict)
    proc: subprocess.Popen | None = None
    log_path: Path | None = None

    def has_command(self, name: str) -> bool:
        return name in self.commands

    def manage(self, *args: str, check: bool = True, timeout: float = 900) -> subprocess.CompletedProcess:
        return _manage(self.env, args, check=check, timeout=timeout)

    def server_log(self) -> str:
        if self.log_path and self.log_path.exists():
            return self.log_path.read_text(errors="replace")[-5000:]
        return ""

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)  # quick shutdown; gunicorn has its own process group
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
        self.proc = None
        if self.pg_database:
            _pg_admin(self.database_url, f'DROP DATABASE IF EXISTS "{self.pg_database}" WITH (FORCE)')
            self.pg_database = None


def _manage(env: dict[str, str], args: Sequence[str], check: bool = True, timeout: float = 900):
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and result.returncode != 0:
        raise RuntimeError(
            f"manage.py {' '.join(args)} failed ({result.returncode}):\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-5000:]}"
        )
    return result


def production_env(workdir: Path, database_url: str, data_dir: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="inclusion.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        INCLUSION_VAR_DIR=str(workdir),
        STATIC_ROOT=str(workdir / "staticfiles"),
        DATABASE_URL=database_url,
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    env.pop("INCLUSION_ALLOW_INSECURE_KEY", None)
    if data_dir:
        env["INCLUSION_DATA_DIR"] = str(data_dir)
    return env


def _wait_until_up(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return  # the application answers (an error status is for the tests to report)
        except OSError as exc:
            last_error = exc
        time.sleep(0.2)
    raise RuntimeError(f"The site did not answer at {url} within {timeout:.0f} s: {last_error}")


def start_site(
    workdir: Path,
    *,
    data_dir: Path | None,
    departements: Sequence[str] | None = DEFAULT_DEPARTEMENTS,
    database_url: str | None = None,
    workers: int = 2,
    threads: int = 1,
    log: Callable[[str], None] = lambda message: print(message, file=sys.stderr),
) -> LiveSite:
    """Prepare a database, load data and demo users, collect static files and start gunicorn. Call `.stop()`."""
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    outer_url = database_url if database_url is not None else os.environ.get("DATABASE_URL", "")
    pg_database = None
    if _is_postgres(outer_url):
        pg_database = f"inclusion_e2e_{os.getpid()}"
        _pg_admin(outer_url, f'DROP DATABASE IF EXISTS "{pg_database}" WITH (FORCE)')
        _pg_admin(outer_url, f'CREATE DATABASE "{pg_database}"')
        db_url = _with_db_name(outer_url, pg_database)
    else:
        db_url = f"sqlite:///{workdir / 'db.sqlite3'}"
    env = production_env(workdir, db_url, data_dir)
    site = LiveSite(base_url="", env=env, workdir=workdir, database_url=db_url, pg_database=pg_database)
    try:
        help_text = _manage(env, ["help", "--commands"]).stdout
        site.commands = {line.strip() for line in help_text.splitlines() if line.strip()}

        def step(name: str, *args: str) -> None:
            started = time.monotonic()
            _manage(env, args)
            site.timings[name] = time.monotonic() - started
            log(f"[site] {name}: {site.timings[name]:.1f} s")

        step("migrate", "migrate", "--noinput")
        step("createcachetable", "createcachetable")
        if site.has_command("load_open_data"):
            if data_dir is None:
                raise RuntimeError("load_open_data needs the real data folder (INCLUSION_DATA_DIR).")
            selection = ["--departements", *departements] if departements else ["--all"]
            step("load_open_data", "load_open_data", *selection, "--data-dir", str(data_dir))
        if site.has_command("seed_demo"):
            step("seed_demo", "seed_demo")
        if site.has_command("warm_cache"):
            step("warm_cache", "warm_cache")
        step("collectstatic", "collectstatic", "--noinput")

        port = free_port()
        site.base_url = f"http://127.0.0.1:{port}"
        site.log_path = workdir / "gunicorn.log"
        log_file = open(site.log_path, "ab")  # noqa: SIM115 - kept open for the server's lifetime
        site.proc = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "inclusion.wsgi",
                # The production image's settings (preload, keep-alive above a client's pause: locust waits up to
                # 5 s, and with gunicorn's default of 2 s a request sent as the server closes the connection fails
                # with "connection reset"), then this site's address, worker counts and log.
                "--config",
                str(ROOT / "docker" / "gunicorn.conf.py"),
                "-b",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--no-control-socket",  # gunicorn ≥ 26 shares one control socket path per user by default
                "--access-logfile",
                "-" if os.environ.get("E2E_ACCESS_LOG") else "/dev/null",
            ],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log_file.close()
        started = time.monotonic()
        try:
            _wait_until_up(site.base_url + "/", site.proc)
        except RuntimeError as exc:
            raise RuntimeError(f"{exc}\n--- gunicorn log ---\n{site.server_log()}") from exc
        site.timings["gunicorn"] = time.monotonic() - started
        log(f"[site] gunicorn up at {site.base_url} in {site.timings['gunicorn']:.1f} s")
    except BaseException:
        site.stop()
        raise
    return site


SIGN_IN_PATH = "/connexion/"
_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the sign-in answers 302: keep that answer (its cookies) instead of following it


def sign_in(base_url: str, email: str, password: str, *, timeout: float = 60) -> dict[str, str]:
    """Sign `email` in on the site at `base_url` through its sign-in form (GET for the CSRF token, then POST, as a
    browser does); return the cookies of the signed-in session by name (session and CSRF cookies).

    Raises RuntimeError when the site does not answer the POST with a redirect and a session cookie.
    """
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
    url = base_url.rstrip("/") + SIGN_IN_PATH
    with opener.open(url, timeout=timeout) as response:
        match = _CSRF_INPUT.search(response.read().decode("utf-8"))
    if not match:
        raise RuntimeError(f"No CSRF token in the sign-in page {url}")
    before = {cookie.name: cookie.value for cookie in jar}
    form = urlencode({"csrfmiddlewaretoken": match.group(1), "username": email, "password": password}).encode()
    request = urllib.request.Request(url, data=form, headers={"Referer": url})
    try:
        with opener.open(request, timeout=timeout) as response:
            status, body = response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:  # the 302 (not followed) and real errors arrive here
        status, body = exc.code, ""
    cookies = {cookie.name: cookie.value for cookie in jar}
    if status != 302 or cookies == before:  # a refused sign-in answers 200 with the form again, no new session
        raise RuntimeError(f"Sign-in failed for {email}: HTTP {status} {body[:300]}")
    return cookies


def browser_cookies(base_url: str, cookies: dict[str, str]) -> list[dict]:
    """`cookies` (from `sign_in`) in the form Playwright's `BrowserContext.add_cookies` takes."""
    return [{"name": name, "value": value, "url": base_url} for name, value in cookies.items()]


def default_data_dir() -> Path | None:
    for candidate in (os.environ.get("INCLUSION_DATA_DIR", ""), str(ROOT.parent / "shared" / "data")):
        if candidate and Path(candidate).is_dir():
            return Path(candidate).resolve()
    return None


def main() -> None:  # pragma: no cover - manual use: `.venv/bin/python bench/_server.py [workdir]`
    import argparse
    import tempfile

    parser = argparse.ArgumentParser(description="Prepare a database and serve the site on loopback until Ctrl-C.")
    parser.add_argument("workdir", nargs="?", help="work folder (default: a new temporary folder)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="inclusion_site_"))
    site = start_site(workdir, data_dir=default_data_dir(), workers=args.workers, threads=args.threads)
    print(f"URL={site.base_url}\nWORKDIR={workdir}", flush=True)
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # stop gunicorn on SIGTERM too
    try:
        signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        site.stop()


if __name__ == "__main__":
    main()
