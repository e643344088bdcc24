"""Execute notebooks in a few long-lived kernels, each running one notebook after another.

Starting a kernel and importing the report's libraries costs seconds per notebook. Here each
worker process keeps one kernel for the whole build and, before each notebook, clears the
kernel's variables and points it at that notebook's read log and figures folder (a hidden
first cell, removed afterwards). Imported modules stay loaded, and so do the data they keep
in memory: the loaders record their files on every call (``readlog.cached``), so each
notebook's read log is complete whichever notebook loaded the data first. The kernels start, and
import what every chapter imports, as soon as the build starts (:class:`aigov.pool.Pool`), while
it validates the data and decides what to run.

Kernels talk to their worker over local sockets (IPC), and what a kernel prints to its own
stderr goes to a log file, not to the terminal.
"""
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from . import readlog

KERNEL = "python3"
SOURCE_DATE_EPOCH = "1767225600"  # 2026-01-01: fixed, so no build date leaks into outputs
# What every chapter imports first, with the garbage collector paused (imports make many objects
# and few cycles: a sixth of the time goes to its passes); what is loaded is then exempt from them.
WARM = "import gc; gc.disable(); import aigov.report, aigov.params; gc.freeze(); gc.enable()"
# The hidden first cell: a fresh namespace and execution count; warnings shown again even if an
# earlier notebook showed them (a filter that changes nothing clears the "already shown" records);
# this notebook's settings and working folder (where its executed copy is written, as papermill
# would run it).
PREAMBLE = ('get_ipython().reset(new_session=True)\n__import__("warnings").filterwarnings("default", append=True)\n'
            '__import__("os").environ.update({env!r})\n__import__("os").chdir({cwd!r})\n')


@dataclass
class Job:
    name: str
    source: Path  # the template as an .ipynb
    parameters: dict
    scratch: Path  # receives sections/<name>.ipynb, figures/ and reads.jsonl
    env: dict = field(default_factory=dict)  # settings for this notebook's run


@dataclass
class Result:
    name: str
    ok: bool
    seconds: float
    reads: dict[str, str] = field(default_factory=dict)  # file -> SHA-256
    queries: dict[str, str] = field(default_factory=dict)  # query call -> digest of its result
    query_files: dict[str, dict[str, str]] = field(default_factory=dict)  # query call -> the files it read
    sources: list[str] = field(default_factory=list)  # every file read, its queries' too
    error: str = ""


def parameterized(job: Job) -> nbformat.NotebookNode:
    """The template with papermill's injected-parameters cell (when it declares parameters),
    the hidden preamble first, and cell ids by position (prepared by the build, so that the
    workers need not load papermill)."""
    return with_preamble(with_parameters(job), job)


def with_parameters(job: Job) -> nbformat.NotebookNode:
    """The template with papermill's injected-parameters cell, when it declares parameters."""
    from papermill.parameterize import parameterize_notebook
    nb = nbformat.read(job.source, as_version=4)
    nb.metadata["papermill"] = {}
    for cell in nb.cells:
        cell.metadata.setdefault("tags", [])
    if any("parameters" in c.metadata["tags"] for c in nb.cells):
        nb = parameterize_notebook(nb, job.parameters, kernel_name=KERNEL, language="python")
    return nb


def with_preamble(nb: nbformat.NotebookNode, job: Job) -> nbformat.NotebookNode:
    """``nb`` with the hidden preamble first (this job's settings, read log and folders), and
    cell ids by position."""
    nb = nbformat.from_dict(nb)
    env = {**job.env, readlog.ENV: str(job.scratch / "reads.jsonl"), "AIGOV_FIGURES_DIR": str(job.scratch / "figures")}
    nb.cells.insert(0, nbformat.v4.new_code_cell(PREAMBLE.format(env=env, cwd=str(job.scratch / "sections"))))
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i}"
    return nb


def _without_preamble(nb: nbformat.NotebookNode) -> None:
    """Remove the preamble cell and number the rest as a fresh kernel would have."""
    nb.cells.pop(0)
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i}"
        if cell.cell_type == "code" and cell.execution_count:
            cell.execution_count -= 1
            for out in cell.outputs:
                if "execution_count" in out:
                    out["execution_count"] -= 1


def _failure(nb: nbformat.NotebookNode, exc: CellExecutionError) -> str:
    """``cell [n]: Error: message`` for the cell that failed (n as the reader's notebook numbers it)."""
    failed = [c for c in nb.cells if c.cell_type == "code" and any(o.output_type == "error" for o in c.get("outputs", []))]
    count = failed[0].execution_count - 1 if failed and failed[0].execution_count else "?"
    if failed and failed[0] is nb.cells[0]:
        return f"the kernel could not be prepared: {exc.ename}: {exc.evalue}"
    return f"cell [{count}]: {exc.ename}: {exc.evalue}"


class Kernel:
    """One kernel and its client, kept for one notebook after another: connecting a client to a
    kernel costs a fifth of a second (it waits for the kernel's output channel to fall quiet),
    so the connection is made once. ``start``: the keywords the kernel is started with."""

    def __init__(self, ipc: str, start: dict):
        self.ipc, self.start = ipc, start
        self.km, self.kc = _manager(ipc), None

    def execute(self, nb: nbformat.NotebookNode) -> None:
        """Execute ``nb`` in place (starting the kernel if need be); raises what nbclient raises."""
        client = NotebookClient(nb, km=self.km, kernel_name=KERNEL)
        client.kc = self.kc
        try:
            client.execute(**self.start)
        finally:
            self.kc = client.kc

    def stop(self) -> None:
        """Shut the kernel down (at once: its work is done, or it failed)."""
        if self.kc is not None:
            self.kc.stop_channels()
        if self.km.has_kernel:
            run_sync(self.km.shutdown_kernel)(now=True)

    def restart(self) -> None:
        """Stop it; the next notebook gets a new kernel."""
        self.stop()
        self.km, self.kc = _manager(self.ipc), None


def warm(kernel: Kernel) -> Kernel:
    """Start ``kernel`` and import :data:`WARM` in it."""
    try:
        kernel.execute(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(WARM)]))
    except Exception:  # noqa: BLE001 - the notebook that runs next reports the problem itself
        kernel.restart()
    return kernel


def _manager(ipc: str) -> AsyncKernelManager:
    return AsyncKernelManager(kernel_name=KERNEL, transport="ipc", ip=ipc)


def run(job: Job, nb: nbformat.NotebookNode, kernel: Kernel) -> Result:
    """Execute ``nb`` (``job`` :func:`parameterized`) in ``kernel``."""
    if job.scratch.exists():
        shutil.rmtree(job.scratch)
    (job.scratch / "sections").mkdir(parents=True)
    (job.scratch / "figures").mkdir()
    began = time.perf_counter()
    try:
        kernel.execute(nb)
    except CellExecutionError as exc:
        nbformat.write(nb, job.scratch / f"{job.name}.failed.ipynb")  # the traceback, for whoever debugs it
        return Result(job.name, False, time.perf_counter() - began,
                      error=f"{_failure(nb, exc)} (traceback: {job.scratch / f'{job.name}.failed.ipynb'})")
    except Exception as exc:  # noqa: BLE001 - a kernel that died or did not start fails this notebook
        return Result(job.name, False, time.perf_counter() - began, error=f"{type(exc).__name__}: {exc}")
    _without_preamble(nb)
    nbformat.write(nb, job.scratch / "sections" / f"{job.name}.ipynb")
    return Result(job.name, True, time.perf_counter() - began)


def with_reads(result: Result, job: Job) -> Result:
    """``result`` with what its notebook read and queried (from its read log)."""
    log = job.scratch / "reads.jsonl"
    if result.ok:
        result.reads, result.queries, result.sources = readlog.read(log), readlog.queries(log), readlog.sources(log)
        result.query_files = readlog.query_files(log)
    return result


def worker(jobs, events, env: dict, log: Path, ipc: Path) -> None:
    """Start a kernel and import :data:`WARM` in it while the build is still deciding what to run,
    then take (job, notebook) pairs until the queue gives None; report ("start", name) and
    ("done", Result)."""
    with open(log, "a", encoding="utf-8") as fh:
        kernel = warm(Kernel(str(ipc), {"env": env, "stdout": fh, "stderr": fh}))
        while (item := jobs.get()) is not None:
            job, nb = item
            events.put(("start", job.name))
            result = run(job, nb, kernel)
            if not result.ok:  # the next notebook gets a new kernel, not one left mid-failure
                kernel.restart()
            events.put(("done", result))
        kernel.stop()
