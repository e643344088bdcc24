"""Builds that do not end normally or run without a network, on the small fixture project of
test_build: a build killed mid-run leaves the last good notebooks and site, and the next build
succeeds; a build in a network namespace with only the loopback interface succeeds."""
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
import yaml

from aigov import build as B
from aigov import sources
from test_build import READS, notebook, project, run  # noqa: F401 - project is a fixture

# A build of a fixture project in a process of its own, as `aigov build` runs it.
BUILD_SCRIPT = """
import json, sys
from pathlib import Path
from aigov import build as B
args = json.loads(sys.argv[1])
project = B.Project(**{k: Path(v) if v else None for k, v in args["project"].items()})
B.build({}, out=Path(args["out"]), project=project)
"""

# A cell that writes its kernel's process id to `marker`, then waits while `hold` exists.
HOLD = """
import os, time
from pathlib import Path
Path({marker!r}).write_text(str(os.getpid()))
while Path({hold!r}).exists():
    time.sleep(0.1)
print({text!r})
"""

# A Sphinx extension that, while `hold` exists, stops the render on page sections/b (after
# some pages are written) and writes the renderer's process id to `marker`.
HOLD_RENDER = """
import os, time
from pathlib import Path

def hold(app, pagename, *args):
    if pagename == "sections/b" and Path({hold!r}).exists():
        Path({marker!r}).write_text(str(os.getpid()))
        while Path({hold!r}).exists():
            time.sleep(0.1)

def setup(app):
    app.connect("html-page-context", hold)
    return {{"parallel_read_safe": True, "parallel_write_safe": True}}
"""


@pytest.fixture
def hold(tmp_path):
    """A file held notebooks and renderers wait on; removed at teardown, which releases them."""
    path = tmp_path / "hold"
    path.touch()
    yield path
    path.unlink(missing_ok=True)


def command(project: B.Project, out: Path) -> list[str]:
    args = {"project": {k: str(v) if v else "" for k, v in vars(project).items()}, "out": str(out)}
    return [sys.executable, "-c", BUILD_SCRIPT, json.dumps(args)]


def start(cmd: list[str], log: Path) -> subprocess.Popen:
    """Start a build as the leader of a new process group (stdout and stderr into ``log``)."""
    with open(log, "w") as fh:
        return subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)


def wait_for(paths: list[Path], proc: subprocess.Popen, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not all(p.exists() for p in paths):
        if proc.poll() is not None:
            pytest.fail(f"the build ended (exit {proc.returncode}) before it got there:\n{log.read_text()}")
        if time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail(f"no {[p.name for p in paths if not p.exists()]} after {timeout} s:\n{log.read_text()}")
        time.sleep(0.1)


def kill(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def assert_gone(pids: list[int], what: str, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [p for p in pids if alive(p)], f"{what} still running {timeout} s after the build was killed"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def changed(before: dict[str, bytes], folder: Path) -> list[str]:
    """Files of ``folder`` added, removed or changed since ``before``."""
    after = snapshot(folder)
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))


def assert_complete_notebooks(sections: Path, names: list[str]) -> None:
    """Each executed notebook is valid nbformat and every code cell has run and has its output."""
    assert sorted(p.stem for p in sections.glob("*.ipynb")) == names
    for name in names:
        nb = nbformat.read(sections / f"{name}.ipynb", as_version=4)
        nbformat.validate(nb)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(c.execution_count for c in code), f"{name}: a code cell did not run"
        assert code[-1].outputs, f"{name}: no output in the last cell"


@pytest.mark.build
def test_build_killed_while_notebooks_execute_keeps_the_last_good_state(project, tmp_path, hold):
    out, log = tmp_path / "out", tmp_path / "build.log"
    run(project, out, render_book=True)
    site, sections = snapshot(out / "html"), snapshot(out / "source" / "sections")

    markers = {n: tmp_path / f"kernel-{n}.pid" for n in ("a", "b")}
    for name, data in (("a", "x"), ("b", "y")):
        notebook(project.notebooks / f"{name}.ipynb", READS.format(path=str(tmp_path / "data" / f"{data}.csv")),
                 HOLD.format(marker=str(markers[name]), hold=str(hold), text=f"second run of {name}"))
    proc = start(command(project, out), log)
    wait_for(list(markers.values()), proc, log)
    kill(proc)

    # the kernels run in sessions of their own: they must notice their parent is gone
    assert_gone([int(m.read_text()) for m in markers.values()], "a kernel of the killed build")
    assert (out / "tmp").is_dir(), "the killed build should have left its scratch folder"
    assert_complete_notebooks(out / "source" / "sections", ["a", "b"])
    assert not changed(sections, out / "source" / "sections"), "executed notebooks changed"
    assert not changed(site, out / "html"), "the site changed although no build finished"

    hold.unlink()
    report = run(project, out, render_book=True)
    assert sorted(report.executed) == ["a", "b"] and report.rendered
    assert_complete_notebooks(out / "source" / "sections", ["a", "b"])
    for name in ("a", "b"):
        assert f"second run of {name}" in (out / "html" / "sections" / f"{name}.html").read_text()
    assert (out / "html" / "index.html").is_file()
    assert sorted(p.name for p in out.iterdir()) == ["executed", "html", "source", "sphinx-html", "state.json", "templates"]


@pytest.mark.build
def test_build_killed_while_rendering_keeps_the_previous_site(project, tmp_path, hold, monkeypatch):
    out, log = tmp_path / "out", tmp_path / "build.log"
    run(project, out, render_book=True)
    site, sections = snapshot(out / "html"), snapshot(out / "source" / "sections")

    marker = tmp_path / "render.pid"
    (tmp_path / "ext").mkdir()
    (tmp_path / "ext" / "hold_render.py").write_text(HOLD_RENDER.format(hold=str(hold), marker=str(marker)))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(tmp_path / "ext"),
                                                                    os.environ.get("PYTHONPATH")])))
    config = yaml.safe_load(project.config.read_text())
    sphinx = config.setdefault("sphinx", {})
    if "extensions" in sphinx.get("config", {}):  # a list of its own replaces Jupyter Book's
        sphinx["config"]["extensions"].append("hold_render")
    else:
        sphinx.setdefault("extra_extensions", []).append("hold_render")
    project.config = tmp_path / "_config.yml"
    project.config.write_text(yaml.safe_dump(config))
    (project.book / "intro.md").write_text("# Fixture book\n\nThe second version.\n")

    proc = start(command(project, out), log)
    wait_for([marker], proc, log)  # intro and sections/a are written, sections/b is not
    kill(proc)

    assert_gone([int(marker.read_text())], "the renderer of the killed build")
    # no site at all is acceptable (a kill between moving the old site out and the new one in)
    assert not (out / "html").exists() or not changed(site, out / "html"), \
        "the killed render left a site that is not the previous one"
    assert not changed(sections, out / "source" / "sections"), "executed notebooks changed"

    hold.unlink()
    report = run(project, out, render_book=True)
    assert report.executed == [] and report.rendered
    assert "The second version." in (out / "html" / "intro.html").read_text()
    assert snapshot(out / "html").keys() == site.keys()
    assert sorted(p.name for p in out.iterdir()) == ["executed", "html", "source", "sphinx-html", "state.json", "templates"]


def offline(cmd: list[str]) -> list[str]:
    """``cmd`` in a new network namespace whose only interface, loopback, is up."""
    ip = shutil.which("ip") or "/usr/sbin/ip"
    return ["unshare", "--net", "sh", "-c", f"{shlex.quote(ip)} link set lo up && exec {shlex.join(cmd)}"]


@pytest.mark.build
def test_build_needs_no_network(project, tmp_path):
    if shutil.which("unshare") is None:
        pytest.skip("no unshare (util-linux): cannot take the network away")
    probe = subprocess.run(["unshare", "--net", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"unshare --net is not permitted here (needs root or user namespaces): {probe.stderr.strip()}")
    mirror = sources.mirror_dir()
    if mirror is None:
        pytest.skip(f"no data mirror (${sources.MIRROR_ENV} or {sources.DEFAULT_MIRROR}): "
                    "the datasets would be downloaded")
    links = subprocess.run(offline(["ip", "-o", "link", "show"]), capture_output=True, text=True, check=True)
    assert [line.split(":")[1].strip() for line in links.stdout.splitlines()] == ["lo"]

    # chapter a also reads every external dataset, as the chapters do, through the package
    fetch_all = ("from aigov import sources\n"
                 "paths = [sources.fetch(key) for key in sources.manifest().index]\n"
                 "print(len(paths), 'datasets')")
    notebook(project.notebooks / "a.ipynb", READS.format(path=str(tmp_path / "data" / "x.csv")), fetch_all)
    out, log = tmp_path / "out", tmp_path / "build.log"
    proc = start(offline(command(project, out)), log)
    assert proc.wait(timeout=300) == 0, f"the build failed without a network:\n{log.read_text()}"

    assert_complete_notebooks(out / "source" / "sections", ["a", "b"])
    n = len(sources.manifest())
    assert f"{n} datasets" in (out / "html" / "sections" / "a.html").read_text()
    reads = json.loads((out / "state.json").read_text())["notebooks"]["a"]["reads"]
    assert sum(Path(p).is_relative_to(mirror) for p in reads) == n, "the datasets were not read from the mirror"
