"""The project deploys to a real Scrapyd with ``scrapyd-deploy`` and runs through
``schedule.json``. Scrapyd listens on 127.0.0.1 only, with its folders in a temp dir; the crawl
reads the local replica. Nothing here reaches beyond 127.0.0.1."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.error import URLError
from urllib.parse import urlencode
from urllib.request import ProxyHandler, build_opener

import pytest

from newscrawler.settings import FAST
from tests.conftest import SAMPLE_RECORDS

ROOT = Path(__file__).resolve().parent.parent
SPIDER = ROOT / "newscrawler" / "spiders" / "police.py"
BIN = Path(sys.executable).parent
# What scrapyd-deploy packs: the project as a user's clone has it.
PROJECT_FILES = ("newscrawler", "scrapy.cfg", "setup.py", "pyproject.toml", "README.md")
# Never through a proxy, whatever the environment says: only 127.0.0.1 is spoken to.
_OPENER = build_opener(ProxyHandler({}))
# Upper bounds on waiting, not expectations: a slow machine passes, a hung server fails.
STARTUP_LIMIT = 60.0
CRAWL_LIMIT = 300.0


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.update(
        HOME=str(home),  # no ~/.scrapyd.conf or ~/.netrc of the user's
        NO_PROXY="*",
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Scrapyd:
    url: str
    root: Path
    env: dict[str, str]

    def get(self, endpoint: str, **params: str) -> dict[str, Any]:
        query = f"?{urlencode(params)}" if params else ""
        with _OPENER.open(f"{self.url}{endpoint}{query}", timeout=30) as response:
            return json.loads(response.read())  # type: ignore[no-any-return]

    def post(self, endpoint: str, data: list[tuple[str, str]]) -> dict[str, Any]:
        body = urlencode(data).encode()
        with _OPENER.open(f"{self.url}{endpoint}", data=body, timeout=30) as response:
            return json.loads(response.read())  # type: ignore[no-any-return]


def _ready(proc: subprocess.Popen[bytes], url: str) -> bool:
    """Poll daemonstatus.json until it answers (True) or the process exits (False)."""
    deadline = time.monotonic() + STARTUP_LIMIT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with _OPENER.open(f"{url}daemonstatus.json", timeout=5) as response:
                return json.loads(response.read()).get("status") == "ok"  # type: ignore[no-any-return]
        except (URLError, ConnectionError):
            time.sleep(0.2)
    return False


@pytest.fixture(scope="module")
def scrapyd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scrapyd]:
    """A real Scrapyd on 127.0.0.1 at a free port, all its folders in a temp dir."""
    root = tmp_path_factory.mktemp("scrapyd")
    (root / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        "bind_address = 127.0.0.1\n"
        f"eggs_dir = {root / 'eggs'}\n"
        f"logs_dir = {root / 'logs'}\n"
        f"dbs_dir = {root / 'dbs'}\n"
        "items_dir =\n"
        "max_proc = 1\n"
        "poll_interval = 0.2\n"
    )
    env = _env(root)
    log = root / "scrapyd.log"
    for _ in range(3):  # a port taken between choosing it and binding it: try another
        port = _free_port()
        url = f"http://127.0.0.1:{port}/"
        with log.open("ab") as fh:
            proc = subprocess.Popen(
                [sys.executable, "-m", "scrapyd"],
                cwd=root,  # reads ./scrapyd.conf; no scrapy.cfg above a temp dir
                env={**env, "SCRAPYD_HTTP_PORT": str(port)},
                stdout=fh,
                stderr=subprocess.STDOUT,
            )
        if _ready(proc, url):
            break
        proc.kill()
        proc.wait()
    else:
        pytest.fail(f"Scrapyd did not start:\n{log.read_text(errors='replace')[-3000:]}")
    try:
        yield Scrapyd(url=url, root=root, env=env)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _project_copy(dest: Path) -> Path:
    """The project's files in a temp dir: scrapyd-deploy builds in place (build/, egg-info),
    which must not touch the working tree."""
    dest.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "build", "*.egg-info")
    for name in PROJECT_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=ignore)
        else:
            shutil.copy2(src, dest / name)
    return dest


@pytest.fixture(scope="module")
def deployed(scrapyd: Scrapyd, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The project deployed with scrapyd-deploy to a target that inherits scrapy.cfg's
    [deploy] section (project name) and points at the test server; returns the version."""
    project = _project_copy(tmp_path_factory.mktemp("deploy") / "project")
    with (project / "scrapy.cfg").open("a") as fh:
        fh.write(f"\n[deploy:test]\nurl = {scrapyd.url}\n")
    result = subprocess.run(
        [str(BIN / "scrapyd-deploy"), "test", "--version", "r1"],
        cwd=project,
        env=scrapyd.env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    answer = json.loads(result.stdout)
    assert answer["status"] == "ok" and answer["project"] == "newscrawler", answer
    return "r1"


def test_the_egg_carries_the_package_its_data_and_settings(tmp_path: Path) -> None:
    project = _project_copy(tmp_path / "project")
    egg = tmp_path / "newscrawler.egg"
    result = subprocess.run(
        [str(BIN / "scrapyd-deploy"), "--build-egg", str(egg)],
        cwd=project,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(egg) as zf:
        names = set(zf.namelist())
        entry_points = zf.read("EGG-INFO/entry_points.txt").decode()
    assert {"newscrawler/settings.py", "newscrawler/forces.toml", "newscrawler/cli.py"} <= names
    assert not any(name.startswith("tests/") for name in names)
    assert "[scrapy]\nsettings = newscrawler.settings" in entry_points


def test_deployed_project_lists_the_spiders(scrapyd: Scrapyd, deployed: str) -> None:
    assert "newscrawler" in scrapyd.get("listprojects.json")["projects"]
    assert scrapyd.get("listversions.json", project="newscrawler")["versions"] == [deployed]
    spiders = scrapyd.get("listspiders.json", project="newscrawler")
    assert spiders["status"] == "ok", spiders
    assert sorted(spiders["spiders"]) == ["archive", "police"]  # the crawl, the back-fill


def _wait_finished(scrapyd: Scrapyd, job: str) -> dict[str, Any]:
    deadline = time.monotonic() + CRAWL_LIMIT
    while time.monotonic() < deadline:
        jobs = scrapyd.get("listjobs.json", project="newscrawler")
        done = [j for j in jobs["finished"] if j["id"] == job]
        if done:
            return done[0]  # type: ignore[no-any-return]
        time.sleep(0.5)
    pytest.fail(f"job {job} did not finish within {CRAWL_LIMIT}s")


def _records(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (out / "news" / "Kent").glob("*.md")}


@pytest.mark.skipif(not SPIDER.exists(), reason="needs the police spider (newscrawler/spiders/police.py)")
def test_schedule_json_crawls_the_replica(scrapyd: Scrapyd, deployed: str, tmp_path: Path) -> None:
    """A job scheduled through Scrapyd writes every record of the replica, the same bytes as
    `newscrawler crawl` writes (record fidelity itself is tested with the replica)."""
    from newscrawler.replica import ReplicaServer  # written alongside the spider

    out, reference = tmp_path / "out", tmp_path / "reference"
    with ReplicaServer(SAMPLE_RECORDS, forces=["kent"], port=0) as replica:
        settings = {
            **{name: str(value) for name, value in FAST.items()},
            "NEWSCRAWLER_OUT": str(out),
            "NEWSCRAWLER_MIRRORS": json.dumps(replica.mirrors),
        }
        answer = scrapyd.post(
            "schedule.json",
            [
                ("project", "newscrawler"),
                ("spider", "police"),
                ("forces", "kent"),
                *(("setting", f"{name}={value}") for name, value in settings.items()),
            ],
        )
        assert answer["status"] == "ok", answer
        job = _wait_finished(scrapyd, answer["jobid"])
        mirrors = [f"--mirror={origin}={url}" for origin, url in replica.mirrors.items()]
        cli = subprocess.run(
            [sys.executable, "-m", "newscrawler", "crawl", "kent", *mirrors, "--data", str(reference)],
            env=scrapyd.env,
            capture_output=True,
            text=True,
            timeout=CRAWL_LIMIT,
        )
        assert cli.returncode == 0, cli.stderr
    log = scrapyd.root / "logs" / "newscrawler" / "police" / f"{job['id']}.log"
    log_text = log.read_text(errors="replace")[-5000:] if log.exists() else "(no log)"
    written = _records(out)
    assert set(written) == {p.name for p in (SAMPLE_RECORDS / "news" / "Kent").glob("*.md")}, log_text
    assert written == _records(reference)
    # The run was a run like any other: reported, and in the state.
    assert (out / "state.sqlite").exists() and list((out / "runs").glob("*.json")), log_text
