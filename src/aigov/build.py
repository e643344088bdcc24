"""The build: execute the chapter templates, sweep the country profiles, then render the book.

Layout of an output folder (``_build`` by default, one per parameter set):

    state.json        what each notebook was last executed from (its input key) and took
    templates/        each chapter template as an .ipynb (converted again only when it changes)
    executed/         each notebook as executed (its code cells' outputs)
    source/           the assembled book: static pages from book/, the chapters in sections/
                      (current prose around the executed code), their figures and CSVs in
                      figures/, the zip, changelog and figure list in release/, the latest
                      country profiles in countries/ and the archived ones in archive/
    profiles/         the country profiles as swept (``sweep``): their state, executed
                      notebooks, files and archived pages
    store/            derived layers kept between builds (``store``)
    sphinx-html/      Sphinx's work, kept between renders (``render``)
    html/             the last good site (replaced only after a fully successful render)
    tmp/              scratch space for the current run (and the kernels' logs)

Chapter templates are text notebooks (MyST Markdown, read with jupytext) in ``notebooks/``;
each is converted to an .ipynb and executed in a long-lived kernel (see ``kernels`` and
``pool``: the kernels, and Jupyter Book, start as the build starts). Then the country profiles
whose inputs changed run on a local Dask cluster (``sweep``, ``countries_part``), unless the
build has parameters or leaves the Countries part out.

A notebook is re-executed only when its key changes: its code cells, its parameters, the
package modules it imports (``codedeps``), any file it read last time, or the answer of any
query it made (``readlog``: the data layer records each file and each curated table a notebook
reads, and a query such as "the events of these forums" by its result, so editing one event
re-runs only the chapters whose answers change). Prose is not part of the key: a chapter whose
Markdown changed is re-assembled from its executed code cells and its current Markdown,
without running. The curated tables are validated once, before any notebook runs. A failed
notebook fails the build, and neither its output nor the site is touched.
"""
import hashlib
import json
import os
import shutil
import time
from contextlib import ExitStack, nullcontext
from dataclasses import dataclass
from pathlib import Path

import nbformat
import papermill as pm
import yaml

from . import params as P
from . import countries_part, downloads, fingerprint, sweep
from .assembly import as_ipynb, assemble, strip_volatile
from .errors import BuildError
from .freshness import Inputs, code_key, notebook_key, sha256_bytes
from .kernels import Job, Result
from .pool import Pool, start
from .render import Renderer
from .files import move_if_changed, write_if_changed
from .readlog import sha256_file
from .text import roster
from .curated import VALIDATED_ENV, data_as_of, load_all, tables_hash
from .paths import BOOK, BUILD, CURATED, NOTEBOOKS, ROOT

PACKAGE = Path(__file__).resolve().parent
# written by the build, not copied from book/ (the table of contents is written with the countries)
STATIC_EXCLUDE = {"sections", "figures", "release", "_build", "countries", "archive", "_toc.yml"}


def tree_hash(folder: Path, pattern: str = "**/*") -> str:
    """Hash of every file's relative path and bytes below ``folder``."""
    h = hashlib.sha256()
    for p in sorted(folder.glob(pattern)):
        if p.is_file() and "__pycache__" not in p.parts:
            h.update(str(p.relative_to(folder)).encode())
            h.update(sha256_file(p).encode())
    return h.hexdigest()


TEMPLATE_SUFFIXES = (".md", ".ipynb")


def templates_in(folder: Path) -> list[Path]:
    """The chapter templates of ``folder``: text notebooks (.md) and .ipynb files, by name."""
    return sorted((p for p in folder.iterdir() if p.suffix in TEMPLATE_SUFFIXES), key=lambda p: p.stem)


def accepted_params(templates: list[Path], converted: Path) -> dict[str, list[str]]:
    """Each parameter any template declares in its ``parameters`` cell -> the templates using it
    (``converted`` holds each template as an .ipynb, ``<stem>.ipynb``: see :func:`as_ipynb`)."""
    out: dict[str, list[str]] = {}
    for t in templates:
        for name in pm.inspect_notebook(str(converted / f"{t.stem}.ipynb")):
            out.setdefault(name, []).append(t.stem)
    return dict(sorted(out.items()))


def validate_params(parameters: dict, templates: list[Path], converted: Path) -> dict[str, dict]:
    """Check the parameters before anything runs (every name is one a chapter declares, and the
    values are valid) and return each template's own: name -> the parameters it declares."""
    accepted = accepted_params(templates, converted)
    unknown = sorted(set(parameters) - set(accepted))
    if unknown:
        raise P.ParameterError(
            f"unknown parameter {', '.join(map(repr, unknown))}; the chapters accept: " +
            "; ".join(f"{name} ({', '.join(stems)})" for name, stems in accepted.items()))
    P.as_of(parameters.get("as_of"))
    P.focus(parameters.get("focus"))
    P.region(parameters.get("region"))
    return {t.stem: {k: v for k, v in parameters.items() if t.stem in accepted[k]} for t in templates}


@dataclass
class Project:
    """Where a build reads from; tests point it at small fixture projects."""
    notebooks: Path = NOTEBOOKS
    book: Path = BOOK
    config: Path = ROOT / "_config.yml"
    code: Path = PACKAGE
    curated: Path = CURATED
    profiles: Path | None = sweep.TEMPLATE  # the country-profile template; None: no Countries part


@dataclass
class Report:
    executed: list[str]
    skipped: list[str]
    rendered: bool
    seconds: float
    timings: dict[str, float]


def _load_state(path: Path) -> dict:
    return json.loads(path.read_text()) if path.exists() else {"notebooks": {}, "render": None}


def _write_state(path: Path, state: dict) -> None:
    """Replace state.json in one step, so a killed build never leaves it half-written."""
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(state, indent=1, sort_keys=True))
    os.replace(tmp, path)


def _install(result: Result, scratch: Path, out: Path, state: dict, key: str) -> None:
    """Keep a successful notebook as executed and move its figures into the book source."""
    source = out / "source"
    figures = sorted(p.name for p in (scratch / "figures").iterdir())
    for f in set(state["notebooks"].get(result.name, {}).get("figures", [])) - set(figures):
        (source / "figures" / f).unlink(missing_ok=True)
    (source / "figures").mkdir(parents=True, exist_ok=True)
    for f in figures:  # a file with the same bytes keeps its time, so Sphinx does not re-read its pages
        move_if_changed(scratch / "figures" / f, source / "figures" / f)
    (out / "executed").mkdir(exist_ok=True)
    shutil.move(scratch / "sections" / f"{result.name}.ipynb", out / "executed" / f"{result.name}.ipynb")
    state["notebooks"][result.name] = {"key": key, "reads": result.reads, "queries": result.queries,
                                       "query_files": result.query_files,
                                       "sources": result.sources, "figures": figures,
                                       "seconds": round(result.seconds, 1)}


def _assemble_all(templates: dict, files: dict[str, str], out: Path, state: dict) -> None:
    """Write each chapter of the book source from its executed notebook and its current template
    (``files``: each template's file name, for errors); only when the bytes change, so an
    unchanged chapter leaves the render key alone. A chapter assembled from the same template
    and executed notebook before (its key in ``state``) is left as it is."""
    (out / "source" / "sections").mkdir(parents=True, exist_ok=True)
    for name, template in templates.items():
        executed, dest = out / "executed" / f"{name}.ipynb", out / "source" / "sections" / f"{name}.ipynb"
        key = sha256_bytes((nbformat.writes(template) + sha256_file(executed)).encode())
        if state["notebooks"][name].get("assembled") == key and dest.is_file():
            continue
        nb = assemble(template, nbformat.read(executed, as_version=4), files[name])
        strip_volatile(nb, files[name])
        write_if_changed(dest, nbformat.writes(nb) + "\n")
        state["notebooks"][name]["assembled"] = key


def _progress(log, total: int):
    """Print each notebook as it starts and as it ends, with its time."""
    done = []

    def on_event(kind, value):
        if kind == "start":
            log(f"  running  {value}")
            return
        done.append(value.name)
        status = "done  " if value.ok else "FAILED"
        log(f"  {status}   {value.name:<22} {value.seconds:5.1f} s   ({len(done)}/{total})")
    return on_event


def _sync_static(book: Path, source: Path, profiles: list[tuple[str, str]] | None) -> None:
    """Copy the static book pages (everything but generated folders) into ``source``, and write
    the table of contents with the country profiles (``profiles``: code and name of each, or None
    for a book without the Countries part)."""
    for item in source.iterdir() if source.exists() else []:
        if item.name not in STATIC_EXCLUDE:
            shutil.rmtree(item) if item.is_dir() else item.unlink()
    source.mkdir(parents=True, exist_ok=True)
    (source / "archive").mkdir(exist_ok=True)  # the archived profiles (the configuration's html_extra_path)
    for item in book.iterdir():
        if item.name in STATIC_EXCLUDE:
            continue
        dest = source / item.name
        shutil.copytree(item, dest) if item.is_dir() else shutil.copy2(item, dest)
    write_if_changed(source / "_toc.yml", countries_part.toc((book / "_toc.yml").read_text(encoding="utf-8"), profiles))


def book_config(project: Project) -> str:
    """The book's configuration with the data date and the report's version (``{{ data_as_of }}``,
    ``{{ version }}`` and ``{{ citation }}`` in any page; date and version in every page's footer)
    and the book's focus countries (``{{ focus_countries }}``)."""
    from .citation import citation, footer, version
    config = yaml.load(project.config.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    date = data_as_of(project.curated)
    day = f"{date:%-d %B %Y}"
    substitutions = config.setdefault("parse", {}).setdefault("myst_substitutions", {})
    substitutions["data_as_of"] = day
    substitutions["version"] = version()
    substitutions["citation"] = citation(date)
    substitutions["focus_countries"] = roster(P.FOCUS)
    config.setdefault("html", {})["extra_footer"] = footer(date)
    return yaml.safe_dump(config, sort_keys=False, allow_unicode=True)


def _figures(nb) -> int:
    """How many figures a chapter shows: the estimate of its time when it has not run before
    (drawing its figures takes most of it)."""
    return sum(c.source.count("{glue:figure}") for c in nb.cells if c.cell_type == "markdown")


def _execute(pool: Pool, nbs: dict, parameters: dict, own: dict, project: Project, out: Path, force: bool,
             log, on_start=lambda: None) -> tuple:
    """Validate the curated tables, execute in ``pool`` the notebooks whose key changed (``own``:
    each one's parameters; ``on_start`` is called as they start) and keep those that succeed;
    returns the build state, the results and the notebooks skipped."""
    validated = tables_hash(project.curated)  # before validating: a file changed since is checked again by the kernels
    load_all(project.curated)  # validated once, here: the build does not start on invalid curated data
    out.mkdir(parents=True, exist_ok=True)
    state = _load_state(out / "state.json")
    if state.get("params") != parameters:
        state = {"notebooks": {}, "render": None}
    state["params"] = parameters
    memo, known = {}, state.get("imports", {})  # what each module imports, kept for the next build
    codes = {name: code_key(nb, project.code, memo, known) for name, nb in nbs.items()}
    state["imports"] = memo
    todo, inputs = [], Inputs()
    for name in nbs:
        prev = state["notebooks"].get(name)
        fresh = prev and (out / "executed" / f"{name}.ipynb").exists() and inputs.fresh(codes[name], own[name], prev)
        if force or not fresh:
            todo.append(name)
    skipped = [name for name in nbs if name not in todo]
    todo.sort(key=lambda n: (-state["notebooks"].get(n, {}).get("seconds", 0), -_figures(nbs[n])))  # longest first
    log(f"notebooks: {len(todo)} to execute, {len(skipped)} unchanged"
        + (f" ({', '.join(skipped)})" if skipped and todo else ""))
    scratch = out / "tmp"
    jobs = [Job(n, out / "templates" / f"{n}.ipynb", own[n], scratch / n, {VALIDATED_ENV: validated}) for n in todo]
    progress = _progress(log, len(todo))

    def on_event(kind, value):
        if kind == "start":
            on_start()
        progress(kind, value)
    results = pool.execute(jobs, on_event) if todo else []
    for r in results:
        if r.ok:
            _install(r, scratch / r.name, out, state, notebook_key(codes[r.name], own[r.name], r.reads, r.queries))
    _write_state(out / "state.json", state)
    return state, results, skipped


def _renderer(project: Project, out: Path, force: bool, countries: bool) -> Renderer:
    """Jupyter Book for the book's static pages and configuration (started as the notebooks
    start, it reads the chapters once they have run and :func:`_publish` tells it to go)."""
    _sync_static(project.book, out / "source", countries_part.entries(project.curated) if countries else None)
    return Renderer(book_config(project), out / "source", out, fresh=force)


def _publish(project: Project, out: Path, state: dict, parameters: dict, renderer: Renderer, force: bool,
             verbose: bool, log) -> bool:
    """Complete the book's source and render it if it changed; keep the state with the inputs'
    fingerprint. True if the book was rendered."""
    source, rendered = out / "source", False
    downloads.add_to_book(source, project.curated)
    render_key = sha256_bytes((tree_hash(source) + sha256_bytes(renderer.config_text.encode())).encode())
    if force or render_key != state.get("render") or not (out / "html" / "index.html").exists():
        log("rendering the book")
        t0 = time.perf_counter()
        renderer.finish(echo=log if verbose else None)
        log(f"  done     rendered                {time.perf_counter() - t0:5.1f} s")
        rendered = True
        state["render"] = render_key
    else:
        renderer.cancel()
    sources = sorted({p for nb in state["notebooks"].values() for p in nb.get("sources", nb["reads"])}
                     | set(sweep.sources(out)))
    state["sources"] = sources  # every file the notebooks and the profiles read
    state["fingerprint"] = fingerprint.compute(
        [ROOT, project.notebooks, project.book, project.config, project.code, project.curated], out, parameters, sources)
    _write_state(out / "state.json", state)
    return rendered


def _profiles(project: Project, out: Path, jobs: int, force: bool, log) -> None:
    """Run the country profiles whose inputs changed (:mod:`aigov.sweep`, on a local Dask cluster
    of ``jobs`` workers) and put them into the book's source."""
    grid = countries_part.grid(project.curated)
    t0 = time.perf_counter()
    report = sweep.sweep(grid, out, project.curated, workers=jobs, force=force, log=log, progress=False,
                         template=project.profiles)
    if report.executed or report.rendered:
        log(f"  done     profiles: ran {len(report.executed)}, rendered {len(report.rendered)} "
            f"{time.perf_counter() - t0:5.1f} s")
    countries_part.assemble_part(out, out / "source", grid, project.curated)


def build(parameters: dict | None = None, out: Path = BUILD, jobs: int = 2, force: bool = False,
          project: Project | None = None, render_book: bool = True, log=print, verbose: bool = False,
          pool: Pool | None = None) -> Report:
    """Execute what changed, assemble the chapters, then render. Raises BuildError if anything fails.
    ``pool``: this build's notebook workers if already started (:func:`aigov.pool.start`)."""
    started = time.perf_counter()
    project = project or Project()
    parameters = dict(parameters or {})
    scratch = out / "tmp"
    # the kernels start while the build prepares, and stop while it assembles and renders the book
    with nullcontext(pool) if pool else start(project.curated, out, jobs) as pool, ExitStack() as later:
        countries = project.profiles is not None and not parameters  # the Countries part (not in a variant)
        templates = [t for t in templates_in(project.notebooks) if countries or t.stem != countries_part.INDEX]
        converted = out / "templates"  # each template as an .ipynb, kept between builds
        converted.mkdir(parents=True, exist_ok=True)
        nbs = {t.stem: nbformat.read(as_ipynb(t, converted / f"{t.stem}.ipynb"), as_version=4) for t in templates}
        own = validate_params(parameters, templates, converted)
        renderer = later.enter_context(_renderer(project, out, force, countries)) if render_book else None
        state, results, skipped = _execute(pool, nbs, parameters, own, project, out, force, log,
                                           renderer.start if renderer else lambda: None)
        pool.close()
        if verbose and results:
            for f in sorted((scratch / "kernels").glob("kernel-*.log")):
                log(f"--- {f.name}\n{f.read_text(encoding='utf-8')}")
        failed = [r for r in results if not r.ok]
        if failed:
            raise BuildError("notebook(s) failed; the previous site is kept:\n" +
                             "\n".join(f"  {r.name}.ipynb: {r.error}" for r in failed))
        _assemble_all(nbs, {t.stem: t.name for t in templates}, out, state)
        if countries:
            _profiles(project, out, jobs, force, log)
        rendered = renderer is not None and _publish(project, out, state, parameters, renderer, force, verbose, log)
    shutil.rmtree(scratch, ignore_errors=True)
    return Report([r.name for r in results], skipped, rendered, time.perf_counter() - started,
                  {r.name: r.seconds for r in results})
