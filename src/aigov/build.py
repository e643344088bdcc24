"""The build: execute the section templates with papermill, then render the book.

Layout of an output folder (``_build`` by default, one per parameter set):

    state.json        what each notebook was last executed from (its input key)
    source/           the assembled book: static pages from book/, executed notebooks
                      in sections/, their figures and CSVs in figures/
    html/             the last good site (replaced only after a fully successful render)
    tmp/              scratch space for the current run

Chapter templates are text notebooks (MyST Markdown, read with jupytext) in ``notebooks/``;
each is converted to an .ipynb in scratch space and executed there (an .ipynb template is
executed as it is).

A notebook is re-executed only when its key changes: the template, the
parameters, the package code, or any file it read last time (recorded by the
data layer, see ``readlog``). A failed notebook fails the build, and neither
its output nor the site is touched.
"""
import ast
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import jupytext
import papermill as pm
import yaml

from . import params as P
from . import readlog
from .errors import BuildError
from .readlog import sha256_file
from .text import roster
from .curated import data_as_of, load_all
from .paths import BOOK, BUILD, CURATED, CURATED_ENV, NOTEBOOKS, ROOT

PACKAGE = Path(__file__).resolve().parent
SOURCE_DATE_EPOCH = "1767225600"  # 2026-01-01: fixed, so no build date leaks into outputs
STATIC_EXCLUDE = {"sections", "figures", "_build"}


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


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


def as_ipynb(template: Path, dest: Path) -> Path:
    """Write ``template`` as an .ipynb to ``dest`` (a text notebook is converted with jupytext)."""
    nb = jupytext.read(template) if template.suffix == ".md" else nbformat.read(template, as_version=4)
    for i, cell in enumerate(nb.cells):  # ids by position: jupytext draws random ones
        cell.id = f"cell-{i}"
    nbformat.write(nb, dest)
    return dest


def accepted_params(templates: list[Path], scratch: Path) -> dict[str, list[str]]:
    """Each parameter any template declares in its ``parameters`` cell -> the templates using it."""
    out: dict[str, list[str]] = {}
    scratch.mkdir(parents=True, exist_ok=True)
    for t in templates:
        for name in pm.inspect_notebook(str(as_ipynb(t, scratch / f"{t.stem}.params.ipynb"))):
            out.setdefault(name, []).append(t.stem)
    return dict(sorted(out.items()))


def validate_params(parameters: dict, templates: list[Path], scratch: Path) -> dict[str, dict]:
    """Check the parameters before anything runs (every name is one a chapter declares, and the
    values are valid) and return each template's own: name -> the parameters it declares."""
    accepted = accepted_params(templates, scratch)
    unknown = sorted(set(parameters) - set(accepted))
    if unknown:
        raise P.ParameterError(
            f"unknown parameter {', '.join(map(repr, unknown))}; the chapters accept: " +
            "; ".join(f"{name} ({', '.join(stems)})" for name, stems in accepted.items()))
    P.as_of(parameters.get("as_of"))
    P.focus(parameters.get("focus"))
    P.region(parameters.get("region"))
    return {t.stem: {k: v for k, v in parameters.items() if t.stem in accepted[k]} for t in templates}


def notebook_key(template: Path, parameters: dict, code_hash: str, reads: dict[str, str]) -> str | None:
    """Input key of a notebook; None if a file it read has gone (so it must run)."""
    current = {}
    for path in sorted(reads):
        if not Path(path).is_file():
            return None
        current[path] = sha256_file(Path(path))
    payload = json.dumps({"template": sha256_file(template), "params": parameters,
                          "code": code_hash, "reads": current}, sort_keys=True)
    return sha256_bytes(payload.encode())


WHEN = "when:"  # a Markdown cell tagged when:<key> is kept only if the value glued as <key> is not 0


def glued_values(nb) -> dict:
    """Each value a notebook glued, as the Python literal of its plain-text form (or the text)."""
    out = {}
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            name = o.get("metadata", {}).get("scrapbook", {}).get("name")
            plain = o.get("data", {}).get("application/papermill.record/text/plain")
            if name and plain is not None:
                try:
                    out[name] = ast.literal_eval(plain)
                except (ValueError, SyntaxError):
                    out[name] = plain
    return out


def drop_conditional_cells(nb, name: str) -> None:
    """Remove the Markdown cells whose ``when:<key>`` tag names a glued value of 0 (a section the
    chosen parameters leave empty); a tag naming no glued value is an error."""
    values, keep = glued_values(nb), []
    for cell in nb.cells:
        keys = [t[len(WHEN):] for t in cell.metadata.get("tags", []) if t.startswith(WHEN)]
        missing = [k for k in keys if k not in values]
        if missing:
            raise BuildError(f"{name}: a Markdown cell is tagged {WHEN}{missing[0]}, but nothing was glued as {missing[0]!r}")
        if all(values[k] for k in keys):
            keep.append(cell)
    nb.cells = keep


def strip_volatile(path: Path) -> None:
    """Drop timestamps and durations papermill and nbclient write into a notebook, the Markdown
    cells the parameters leave empty, and hide papermill's injected-parameters cell from the book
    (the prose states the parameters)."""
    nb = nbformat.read(path, as_version=4)
    drop_conditional_cells(nb, path.stem)
    pm_meta = nb.metadata.get("papermill", {})
    nb.metadata["papermill"] = {"parameters": pm_meta.get("parameters", {})}
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        tags = cell.metadata.get("tags", [])
        if "injected-parameters" in tags and "remove-cell" not in tags:
            cell.metadata["tags"] = tags + ["remove-cell"]
    nbformat.write(nb, path)


@dataclass
class Result:
    name: str
    ok: bool
    seconds: float
    reads: dict[str, str] = field(default_factory=dict)
    error: str = ""


def _error_of(exc: Exception) -> str:
    """The failing cell's execution count and error, from papermill's exception."""
    if isinstance(exc, pm.PapermillExecutionError):
        return f"cell [{exc.exec_count}]: {exc.ename}: {exc.evalue}"
    return f"{type(exc).__name__}: {exc}"


def execute(template: Path, parameters: dict, scratch: Path, curated: Path = CURATED) -> Result:
    """Run one template into ``scratch`` (sections/<name>.ipynb and figures/)."""
    name = template.stem
    if scratch.exists():
        shutil.rmtree(scratch)
    (scratch / "sections").mkdir(parents=True)
    (scratch / "figures").mkdir()
    log = scratch / "reads.jsonl"
    os.environ.update({
        readlog.ENV: str(log),
        CURATED_ENV: str(curated),
        "AIGOV_FIGURES_DIR": str(scratch / "figures"),
        "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH,
        "PYTHONHASHSEED": "0",
        "MPLBACKEND": "Agg",
    })
    out = scratch / "sections" / f"{name}.ipynb"
    start = time.perf_counter()
    try:
        source = as_ipynb(template, scratch / f"{name}.template.ipynb")
        pm.execute_notebook(str(source), str(out), parameters=parameters, cwd=str(out.parent),
                            kernel_name="python3", progress_bar=False, log_output=False)
    except Exception as exc:  # noqa: BLE001 - any failure fails this notebook
        return Result(name, False, time.perf_counter() - start, error=_error_of(exc))
    try:
        strip_volatile(out)
    except BuildError as exc:
        return Result(name, False, time.perf_counter() - start, error=str(exc))
    return Result(name, True, time.perf_counter() - start, readlog.read(log))


@dataclass
class Project:
    """Where a build reads from; tests point it at small fixture projects."""
    notebooks: Path = NOTEBOOKS
    book: Path = BOOK
    config: Path = ROOT / "_config.yml"
    code: Path = PACKAGE
    curated: Path = CURATED


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


def _install(result: Result, scratch: Path, source: Path, state: dict, key_of) -> None:
    """Move a successful notebook and its figures into the book source."""
    old = state["notebooks"].get(result.name, {}).get("figures", [])
    for f in old:
        (source / "figures" / f).unlink(missing_ok=True)
    figures = sorted(p.name for p in (scratch / "figures").iterdir())
    (source / "figures").mkdir(parents=True, exist_ok=True)
    for f in figures:
        shutil.move(scratch / "figures" / f, source / "figures" / f)
    (source / "sections").mkdir(parents=True, exist_ok=True)
    shutil.move(scratch / "sections" / f"{result.name}.ipynb", source / "sections" / f"{result.name}.ipynb")
    state["notebooks"][result.name] = {"key": key_of(result.reads), "reads": result.reads, "figures": figures}


def _sync_static(book: Path, source: Path) -> None:
    """Copy the static book pages (everything but generated folders) into ``source``."""
    for item in source.iterdir() if source.exists() else []:
        if item.name not in STATIC_EXCLUDE:
            shutil.rmtree(item) if item.is_dir() else item.unlink()
    source.mkdir(parents=True, exist_ok=True)
    for item in book.iterdir():
        if item.name in STATIC_EXCLUDE:
            continue
        dest = source / item.name
        shutil.copytree(item, dest) if item.is_dir() else shutil.copy2(item, dest)


def book_config(project: Project) -> str:
    """The book's configuration with the data date (``{{ data_as_of }}`` in any page, and in
    every page's footer) and the book's focus countries (``{{ focus_countries }}``)."""
    config = yaml.safe_load(project.config.read_text(encoding="utf-8"))
    day = f"{data_as_of(project.curated):%-d %B %Y}"
    substitutions = config.setdefault("parse", {}).setdefault("myst_substitutions", {})
    substitutions["data_as_of"] = day
    substitutions["focus_countries"] = roster(P.FOCUS)
    config.setdefault("html", {})["extra_footer"] = f"<p>Curated data verified as of {day}.</p>"
    return yaml.safe_dump(config, sort_keys=False, allow_unicode=True)


def render(config_text: str, source: Path, out: Path) -> None:
    """Jupyter Book (execution off, warnings as errors) with the configuration ``config_text``;
    swap in the new site only on success."""
    target = out / "tmp" / "render"
    if target.exists():
        shutil.rmtree(target)
    config = out / "tmp" / "_config.yml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(config_text, encoding="utf-8")
    cmd = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(source), "--config", str(config),
           "--toc", str(source / "_toc.yml"), "--path-output", str(target), "-W", "-n", "--keep-going",
           "--builder", "html"]
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        log = (proc.stdout + proc.stderr).strip().splitlines()
        raise BuildError("Jupyter Book failed; the previous site is kept.\n" + "\n".join(log[-40:]))
    site, old = out / "html", out / "html.old"
    if old.exists():
        shutil.rmtree(old)
    if site.exists():
        site.rename(old)
    (target / "_build" / "html").rename(site)
    shutil.rmtree(old, ignore_errors=True)


def build(parameters: dict | None = None, out: Path = BUILD, jobs: int = 2, force: bool = False,
          project: Project | None = None, render_book: bool = True, log=print) -> Report:
    """Execute what changed, then render. Raises BuildError if anything fails."""
    project = project or Project()
    templates = templates_in(project.notebooks)
    parameters = dict(parameters or {})
    own = validate_params(parameters, templates, out / "tmp" / "params")
    load_all(project.curated)  # the build does not start on invalid curated data
    start = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    state_path, source = out / "state.json", out / "source"
    state = _load_state(state_path)
    if state.get("params") != parameters:
        state = {"notebooks": {}, "render": None}
    state["params"] = parameters
    code_hash = tree_hash(project.code, "**/*.py")

    def key_of(template):
        return lambda reads: notebook_key(template, parameters, code_hash, reads)

    todo = []
    for t in templates:
        prev = state["notebooks"].get(t.stem)
        fresh = prev and (source / "sections" / f"{t.stem}.ipynb").exists() and \
            key_of(t)(prev["reads"]) == prev["key"]
        if force or not fresh:
            todo.append(t)
    skipped = [t.stem for t in templates if t not in todo]
    log(f"notebooks: {len(todo)} to execute, {len(skipped)} unchanged")

    results = []
    if todo:
        with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(todo)))) as pool:
            futures = [pool.submit(execute, t, own[t.stem], out / "tmp" / t.stem, project.curated) for t in todo]
            results = [f.result() for f in futures]
    by_name = {t.stem: t for t in templates}
    for r in results:
        log(f"  {'ok  ' if r.ok else 'FAIL'} {r.name} ({r.seconds:.1f} s)")
        if r.ok:
            _install(r, out / "tmp" / r.name, source, state, key_of(by_name[r.name]))
    _write_state(state_path, state)
    failed = [r for r in results if not r.ok]
    if failed:
        raise BuildError("notebook(s) failed; the previous site is kept:\n" +
                         "\n".join(f"  {r.name}.ipynb: {r.error}" for r in failed))

    rendered = False
    if render_book:
        _sync_static(project.book, source)
        config_text = book_config(project)
        render_key = sha256_bytes((tree_hash(source) + sha256_bytes(config_text.encode()) + code_hash).encode())
        if force or render_key != state.get("render") or not (out / "html" / "index.html").exists():
            log("rendering the book")
            render(config_text, source, out)
            rendered = True
            state["render"] = render_key
            _write_state(state_path, state)
    shutil.rmtree(out / "tmp", ignore_errors=True)
    return Report([r.name for r in results], skipped, rendered, time.perf_counter() - start,
                  {r.name: r.seconds for r in results})
