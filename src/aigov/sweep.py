"""The country profiles, swept over countries and dates on Dask distributed (``aigov sweep``).

A profile is the template ``notebooks/profiles/country.md`` run with two parameters, ``country``
and ``as_of`` ("" for the data date: the latest profile, a page of the book; a 31 December for an
archived one, rendered as a light page by :mod:`aigov.archive`). The grid of profiles is split
into batches, one Dask task each. A worker keeps one kernel (:class:`aigov.kernels.Kernel`) for
all the batches it runs in a sweep, so kernel start-up is paid once per worker, and runs one
profile after another in it with a fresh namespace, as the build runs its chapters. The kernels
are stopped when the sweep ends.

Incremental like the build (:mod:`aigov.freshness`): a profile runs again only when its code, its
parameters, a file it read or the answer of a query it asked has changed. An archived page whose
template prose changed is rendered again from the executed notebook, without running it.

What a worker returns (the executed notebook, the files it wrote, the archived page) travels
back to the client, which alone writes to the output folder: ``<out>/profiles/``. Workers on
other machines need the same environment and the repository and the datasets at the same paths.
A profile that fails fails the sweep, naming its parameters and the error; the pages of the
profiles that failed are left as they were.
"""
import json
import math
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .errors import AigovError
from .paths import CURATED, CURATED_ENV, NOTEBOOKS, STORE_ENV

TEMPLATE = NOTEBOOKS / "profiles" / "country.md"
PACKAGE = Path(__file__).resolve().parent
LATEST = "index"  # the latest profile's page name; an archived one is named by its date
ARCHIVE_FROM = 2016  # the first year of the archive: the network's time series' (network.SERIES_START)
_YEARS = re.compile(r"^(\d{4})\.\.(\d{4})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class SweepError(AigovError):
    """A profile failed, or the sweep could not run."""


@dataclass(frozen=True, order=True)
class Profile:
    country: str
    as_of: str = ""  # "" for the latest profile (the data date)

    @property
    def name(self) -> str:
        """``KEN/index`` for the latest profile, ``KEN/2020-12-31`` for an archived one."""
        return f"{self.country}/{self.as_of or LATEST}"

    @property
    def parameters(self) -> dict:
        return {"country": self.country, "as_of": self.as_of}

    @property
    def archived(self) -> bool:
        return bool(self.as_of)

    def __str__(self) -> str:
        return f"country={self.country} as_of={self.as_of or '(latest)'}"


# --- the grid ----------------------------------------------------------------------------------

def parse_countries(value: str, directory: Path = CURATED) -> list[str]:
    """``all`` (every state with a recorded membership) or comma-separated ISO3 codes."""
    from . import governance
    known = governance.recorded_states(directory)
    if value.strip().lower() == "all":
        return known
    codes = [c.strip().upper() for c in value.split(",") if c.strip()]
    bad = [c for c in codes if c not in known]
    if bad or not codes:
        raise SweepError(f"--countries {value!r}: {', '.join(bad) or 'nothing'} is not the code of a state with "
                         f"a recorded membership ({len(known)} are, e.g. {', '.join(known[:3])}); or use 'all'")
    return list(dict.fromkeys(codes))


def grid(codes: list[str], as_of: str, directory: Path = CURATED) -> list[Profile]:
    """The profiles of ``codes`` on the dates ``as_of`` names:

    - ``YYYY..YYYY``: each country's archived dates in those years (each 31 December on which it
      had a membership in force, :func:`governance.year_ends_in_force`), and its latest profile when the
      range reaches the data date's year;
    - ``all``: the book's profiles, ``2016..<the data date's year>``;
    - ``latest``: the latest profiles only;
    - comma-separated dates (``2020-12-31,2024-06-30``): each country on each date.
    """
    from . import governance
    from .curated import data_as_of
    spec = as_of.strip().lower()
    if spec == "all":
        spec = f"{ARCHIVE_FROM}..{data_as_of(directory).year}"
    if spec == "latest":
        return [Profile(c) for c in codes]
    years = _YEARS.match(spec)
    if years:
        first, last = int(years.group(1)), int(years.group(2))
        if first > last:
            raise SweepError(f"--as-of {as_of!r}: the first year is after the last")
        latest = data_as_of(directory).year <= last
        return [p for c in codes for p in
                [Profile(c, f"{d:%Y-%m-%d}") for d in governance.year_ends_in_force(c, ARCHIVE_FROM, directory)
                 if first <= d.year <= last]
                + ([Profile(c)] if latest else [])]
    dates = [d.strip() for d in spec.split(",") if d.strip()]
    from . import params
    for d in dates:
        if not _DATE.match(d):
            raise SweepError(f"--as-of {as_of!r}: {d!r} is not 'all', 'latest', YYYY..YYYY or a date YYYY-MM-DD")
        try:
            params.as_of(d)
        except AigovError as exc:
            raise SweepError(f"--as-of {as_of!r}: {exc}") from None
    return [Profile(c, d) for c in codes for d in dates]


def batches(todo: list, workers: int, size: int | None = None) -> list[list]:
    """``todo`` in batches: ``size`` each, or by default about four per worker (so that a worker
    that finishes early takes another) and at most 40 profiles."""
    size = size or max(1, min(40, math.ceil(len(todo) / (4 * max(1, workers)))))
    return [todo[i:i + size] for i in range(0, len(todo), size)]


# --- on a worker -------------------------------------------------------------------------------

_KERNEL: dict = {}  # this worker process's kernel and its folder, by the settings it was started with


def _kernel(env: dict):
    """This worker's kernel for ``env`` (started and warmed now if need be), its folder, and the
    seconds starting it took."""
    from .kernels import Kernel, warm
    key = json.dumps(env, sort_keys=True)
    if key in _KERNEL:
        return *_KERNEL[key], 0.0
    stop_kernels()
    began = time.perf_counter()
    home = Path(tempfile.mkdtemp(prefix="aigov-kernel-"))
    log = open(home / "kernel.log", "a", encoding="utf-8")  # noqa: SIM115 - open while the kernel lives
    kernel = warm(Kernel(str(home / "ipc"), {"env": {**os.environ, **env}, "stdout": log, "stderr": log}))
    _KERNEL[key] = (kernel, home)
    return kernel, home, time.perf_counter() - began


def stop_kernels() -> None:
    """Stop this worker process's kernel and remove its folder (run on every worker when a sweep ends)."""
    while _KERNEL:
        kernel, home = _KERNEL.popitem()[1]
        kernel.stop()
        shutil.rmtree(home, ignore_errors=True)


def _page(executed: str, template: nbformat.NotebookNode | None, name: str, footer: str) -> str:
    """The archived page of an executed profile, with the template's current prose."""
    from . import archive
    from .assembly import assemble, strip_volatile
    nb = nbformat.reads(executed, as_version=4)
    if template is not None:
        nb = assemble(template, nb, name)
    strip_volatile(nb, name)
    return archive.page(nb, name, footer)


def _execute(item: dict, kernel, home: Path, footer: str) -> dict:
    """Execute one parameterized profile in ``kernel``; what it wrote, read and queried. Its
    folder is removed when the next profile has run (the kernel works in it until then)."""
    from .kernels import Job, run, with_preamble, with_reads
    job = Job(item["name"].replace("/", "_"), Path(), {}, home / "jobs" / item["name"].replace("/", "_"), item["env"])
    result = with_reads(run(job, with_preamble(nbformat.from_dict(item["notebook"]), job), kernel), job)
    for old in (home / "jobs").iterdir():
        if old != job.scratch:
            shutil.rmtree(old, ignore_errors=True)
    if not result.ok:
        kernel.restart()  # the next profile gets a new kernel, not one left mid-failure
        failed = job.scratch / f"{job.name}.failed.ipynb"
        return {"ok": False, "error": re.sub(r" \(traceback: [^)]*\)$", "", result.error),
                "failed": failed.read_text(encoding="utf-8") if failed.is_file() else ""}
    executed = (job.scratch / "sections" / f"{job.name}.ipynb").read_text(encoding="utf-8")
    done = {"executed": executed, "files": {p.name: p.read_bytes() for p in sorted((job.scratch / "figures").iterdir())},
            "reads": result.reads, "queries": result.queries, "query_files": result.query_files,
            "sources": result.sources}
    if item.get("archive"):
        done["html"] = _page(executed, None, item["name"], footer)
    return done


def run_batch(items: list[dict], env: dict, template: dict, footer: str) -> dict:
    """Run a batch on this worker: each item is ``{"name", "notebook"}`` (a parameterized profile
    to execute; its archived page is rendered too when ``"archive"`` is set) or ``{"name",
    "executed"}`` (an archived page to render again; ``footer``: its footer). Returns each item's
    outcome and the seconds spent starting the kernel."""
    kernel, home, started = _kernel(env)
    out = []
    for item in items:
        name, began = item["name"], time.perf_counter()
        done = {"name": name, "ok": True, "error": ""}
        try:
            if "executed" in item:
                done["html"] = _page(item["executed"], nbformat.from_dict(template), name, footer)
            else:
                done.update(_execute(item, kernel, home, footer))
        except Exception as exc:  # noqa: BLE001 - reported with the profile's parameters
            done.update(ok=False, error=f"{type(exc).__name__}: {exc}")
        done["seconds"] = time.perf_counter() - began
        out.append(done)
    return {"items": out, "kernel_seconds": started}


# --- on the client -----------------------------------------------------------------------------

@dataclass
class Report:
    executed: list[str]
    rendered: list[str]
    unchanged: list[str]
    seconds: float
    kernel_seconds: float = 0.0  # summed over the workers
    busy_seconds: float = 0.0  # summed over the profiles run
    workers: int = 0


def _state_path(out: Path) -> Path:
    return out / "profiles" / "state.json"


def _load_state(out: Path) -> dict:
    path = _state_path(out)
    return json.loads(path.read_text()) if path.exists() else {"profiles": {}}


def _write_state(out: Path, state: dict) -> None:
    path = _state_path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(state, indent=1, sort_keys=True))
    os.replace(tmp, path)


def sources(out: Path) -> list[str]:
    """Every file the profiles in ``out`` read (for the build's fingerprint)."""
    state = _load_state(out)
    return sorted({p for entry in state["profiles"].values() for p in entry.get("sources", [])})


def executed_path(out: Path, profile: Profile) -> Path:
    return out / "profiles" / "executed" / f"{profile.name}.ipynb"


def files_dir(out: Path, country: str) -> Path:
    """The files the latest profile of ``country`` wrote (the data behind its chart)."""
    return out / "profiles" / "files" / country


def archive_path(out: Path, profile: Profile) -> Path:
    return out / "profiles" / "archive" / f"{profile.name}.html"


def _install(done: dict, profile: Profile, out: Path, state: dict, key: str, prose: str) -> None:
    """Keep what a worker returned for ``profile`` in ``out/profiles``."""
    from .files import write_if_changed
    entry = state["profiles"].setdefault(profile.name, {})
    if "executed" in done:
        path = executed_path(out, profile)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_if_changed(path, done["executed"])
        if not profile.archived:
            folder = files_dir(out, profile.country)
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            for fname, data in done["files"].items():
                (folder / fname).write_bytes(data)
        entry.update(key=key, reads=done["reads"], queries=done["queries"], query_files=done["query_files"],
                     sources=done["sources"],
                     seconds=round(done["seconds"], 2))
    if "html" in done:
        path = archive_path(out, profile)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_if_changed(path, done["html"])
        entry["prose"] = prose


def _keep_failed(done: dict, profile: Profile, out: Path) -> str:
    """Write the failed notebook (with its traceback) to ``out/profiles/failed/``; where it is."""
    if not done.get("failed"):
        return ""
    path = out / "profiles" / "failed" / f"{profile.name}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(done["failed"], encoding="utf-8")
    return f" (traceback: {path})"


def _cluster(scheduler: str | None, workers: int, log):
    """A client of the scheduler at ``scheduler``, or of a local cluster of ``workers`` processes
    with one thread each (closed with the client)."""
    import logging
    from distributed import Client, LocalCluster
    if scheduler:
        try:
            client = Client(scheduler, timeout="10s")
        except OSError as exc:
            raise SweepError(f"--scheduler {scheduler}: no Dask scheduler answered ({exc})") from None
        log(f"scheduler {scheduler}: {len(client.scheduler_info()['workers'])} workers; "
            f"dashboard {client.dashboard_link}")
        return client
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           silence_logs=logging.ERROR, dashboard_address=":8787")
    client = Client(cluster)
    log(f"local Dask cluster: {workers} workers; dashboard {client.dashboard_link}")
    return client


def sweep(profiles: list[Profile], out: Path, directory: Path = CURATED, workers: int | None = None,
          scheduler: str | None = None, force: bool = False, batch_size: int | None = None, log=print,
          progress: bool = True, template: Path = TEMPLATE) -> Report:
    """Run the profiles whose inputs changed (all with ``force``) on Dask and keep them in
    ``out/profiles``; raises :class:`SweepError` naming every profile that failed."""
    from .assembly import as_ipynb
    from . import citation
    from .curated import VALIDATED_ENV, data_as_of, load_all, tables_hash
    from .freshness import Inputs, code_key, notebook_key, sha256_bytes
    from .kernels import SOURCE_DATE_EPOCH, Job, with_parameters
    from .paths import MIRROR_ENV

    began = time.perf_counter()
    directory, out = Path(directory).resolve(), Path(out).resolve()
    validated = tables_hash(directory)
    load_all(directory)  # validated once, here; the kernels trust the tables' hash
    converted = out / "profiles" / "template.ipynb"
    converted.parent.mkdir(parents=True, exist_ok=True)
    nb = nbformat.read(as_ipynb(template, converted), as_version=4)
    # an archived page is rendered again when the template's prose, the rendering code or its
    # footer (the data date and the report's version) changes
    footer = citation.footer(data_as_of(directory))
    prose = sha256_bytes(b"".join([*(p.read_bytes() for p in (template, PACKAGE / "archive.py", PACKAGE / "assembly.py")),
                                   footer.encode()]))
    state = _load_state(out)
    memo = {}
    code = code_key(nb, PACKAGE, memo, state.get("imports", {}))
    state["imports"] = memo
    inputs, run, render, unchanged = Inputs(), [], [], []
    for p in profiles:
        prev = state["profiles"].get(p.name)
        fresh = (not force and prev and "key" in prev and executed_path(out, p).is_file()
                 and inputs.fresh(code, p.parameters, prev))
        if not fresh:
            run.append(p)
        elif p.archived and (prev.get("prose") != prose or not archive_path(out, p).is_file()):
            render.append(p)
        else:
            unchanged.append(p)
    log(f"profiles: {len(run)} to run, {len(render)} to render again, {len(unchanged)} unchanged")
    report = Report([p.name for p in run], [p.name for p in render], [p.name for p in unchanged], 0.0)
    if not run and not render:
        report.seconds = time.perf_counter() - began
        return report

    env = {CURATED_ENV: str(directory), STORE_ENV: str(out / "store"), "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH,
           "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg",
           **({MIRROR_ENV: os.environ[MIRROR_ENV]} if os.environ.get(MIRROR_ENV) else {})}
    items = {}
    for p in run:
        job = Job(p.name, converted, p.parameters, Path(), {VALIDATED_ENV: validated})
        items[p.name] = {"name": p.name, "notebook": with_parameters(job), "env": job.env, "archive": p.archived}
    for p in render:
        items[p.name] = {"name": p.name, "executed": executed_path(out, p).read_text(encoding="utf-8")}
    by_name = {p.name: p for p in run + render}
    workers = workers or os.cpu_count() or 1
    client = _cluster(scheduler, workers, log)
    from distributed import as_completed
    from tqdm import tqdm
    failed = []
    try:
        report.workers = len(client.scheduler_info()["workers"])
        todo = list(items.values())
        split = batches(todo, report.workers or workers, batch_size)
        futures = [client.submit(run_batch, b, env, nb, footer, pure=False, key=f"profiles-{i}-{time.time_ns()}")
                   for i, b in enumerate(split)]
        names = {f.key: [i["name"] for i in b] for f, b in zip(futures, split)}
        with tqdm(total=len(todo), unit="profile", disable=not progress, leave=False) as bar:
            for future in as_completed(futures):
                try:
                    result = future.result()
                except Exception as exc:  # noqa: BLE001 - a worker lost or a task that could not run
                    failed += [f"{by_name[n]}: {type(exc).__name__}: {exc}" for n in names[future.key]]
                    bar.update(len(names[future.key]))
                    continue
                report.kernel_seconds += result["kernel_seconds"]
                for done in result["items"]:
                    p = by_name[done["name"]]
                    if done["ok"]:
                        _install(done, p, out, state, notebook_key(code, p.parameters, done.get("reads", {}),
                                                                   done.get("queries", {})), prose)
                        report.busy_seconds += done["seconds"]
                    else:
                        failed.append(f"{p}: {done['error']}" + _keep_failed(done, p, out))
                    bar.update(1)
        _write_state(out, state)
    finally:
        try:
            client.run(stop_kernels)  # a cluster that lives on must not keep this sweep's code loaded
        except Exception:  # noqa: BLE001 - a cluster that is gone has no kernels left
            pass
        cluster = client.cluster  # the local cluster this sweep started (None for a scheduler's)
        client.close()
        if cluster is not None:
            cluster.close()
    report.seconds = time.perf_counter() - began
    if failed:
        raise SweepError(f"{len(failed)} profile(s) failed; their previous pages are kept:\n  " + "\n  ".join(failed))
    return report
