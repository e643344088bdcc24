"""The book's Countries part: the country profiles, swept on Dask (:mod:`aigov.sweep`), put into
the book's source after the chapters have run.

- ``countries/<code>/index.ipynb``: each state's latest profile, a page of the book, listed in
  the table of contents under the Countries page (``sections/09_countries``), by name; the data
  behind its chart beside it; the chapters that name the country linked from it.
- ``archive/countries/<code>/<date>.html``: its archived profiles, copied into the site as they
  are (the configuration's ``html_extra_path``).

A build with parameters (a variant, such as ``as_of=2020-12-31``) leaves the part out: the
profiles describe the data as last verified and each year since 2016, not a variant's date.
"""
import hashlib
import json
import re
from pathlib import Path

import nbformat
import yaml

from . import sweep
from .assembly import assemble, strip_volatile
from .downloads import RECORD
from .files import write_if_changed
from .readlog import sha256_file

INDEX = "09_countries"  # the Countries page, a chapter notebook
MENTIONS = 'class="aigov-mentions"'  # the profile's place for its links to the chapters


def grid(directory: Path) -> list[sweep.Profile]:
    """Every state with a recorded membership, latest and on each of its archived dates."""
    return sweep.grid(sweep.parse_countries("all", directory), "all", directory)


def entries(directory: Path) -> list[tuple[str, str]]:
    """(code, name) of every state with a profile, by name: the order of the table of contents."""
    from . import countries, governance
    return sorted(((c, countries.name(c)) for c in governance.recorded_states(directory)), key=lambda e: e[1].casefold())


def toc(text: str, profiles: list[tuple[str, str]] | None) -> str:
    """The book's table of contents with each profile under the Countries page, or without the
    Countries part when ``profiles`` is None."""
    if f"sections/{INDEX}" not in text:
        return text
    data = yaml.safe_load(text)
    for part in data.get("parts", []):
        for chapter in part["chapters"]:
            if chapter.get("file") == f"sections/{INDEX}" and profiles is not None:
                chapter["sections"] = [{"file": f"countries/{code}/index", "title": name} for code, name in profiles]
        if profiles is None:
            part["chapters"] = [c for c in part["chapters"] if c.get("file") != f"sections/{INDEX}"]
    data["parts"] = [p for p in data.get("parts", []) if p["chapters"]]
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def _text(nb) -> str:
    """What a reader of a chapter reads: its Markdown and the text and tables it glued."""
    parts = [c.source for c in nb.cells if c.cell_type == "markdown"]
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            parts += [data[k] for k in (RECORD + "text/markdown", RECORD + "text/plain") if k in data]
    return "\n".join(parts)


def mentions(sections: Path, profiles: list[tuple[str, str]]) -> dict[str, list[tuple[str, str]]]:
    """Code -> (page, title) of each chapter whose text names the country by the name the report
    uses. Longer names are tried first, so 'Guinea' is not found in 'Papua New Guinea'."""
    code_of = {name: code for code, name in profiles}
    names = sorted(code_of, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, names)) + r")(?![\w-])")
    found: dict[str, list[tuple[str, str]]] = {code: [] for code, _ in profiles}
    for path in sorted(sections.glob("*.ipynb")):
        if path.stem == INDEX:
            continue
        nb = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
        title = next((ln[2:].strip() for c in nb.cells if c.cell_type == "markdown"
                      for ln in c.source.splitlines() if ln.startswith("# ")), path.stem)
        for name in sorted(set(pattern.findall(_text(nb)))):
            found[code_of[name]].append((path.stem, title))
    return found


def _links(chapters: list[tuple[str, str]]) -> str:
    import html
    if not chapters:
        return '<p class="aigov-mentions">None of the chapters names it.</p>'
    items = [f'<a href="../../sections/{html.escape(stem)}.html">{html.escape(title)}</a>' for stem, title in chapters]
    return '<p class="aigov-mentions">' + " · ".join(items) + "</p>"


def _fill(nb, html: str) -> None:
    """Put ``html`` in the output the profile glued as the place of its chapter links (an empty
    paragraph of class ``aigov-mentions``, :func:`aigov.chapters.profile.publish`)."""
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            if MENTIONS in o.get("data", {}).get(RECORD + "text/html", ""):
                o["data"] = {RECORD + "text/html": html, RECORD + "text/plain": "chapters"}
                return
    raise ValueError("the profile glues no place for its chapter links")


def assemble_part(out: Path, source: Path, profiles: list[sweep.Profile], directory: Path) -> None:
    """Write the profiles into the book's source (only files whose bytes change; a latest
    profile whose executed notebook, template and chapter links are as last time is left as it
    is) and remove those of countries or dates no longer in ``profiles``."""
    template_text = (out / "profiles" / "template.ipynb").read_text(encoding="utf-8")
    template = nbformat.reads(template_text, as_version=4)
    named = mentions(source / "sections", entries(directory))
    pages, archived = source / "countries", source / "archive" / "countries"
    memo_path = out / "profiles" / "assembled.json"
    memo = json.loads(memo_path.read_text()) if memo_path.is_file() else {}
    keep, done = set(), {}
    for p in profiles:
        if p.archived:
            dest = archived / f"{p.name}.html"
            write_if_changed(dest, sweep.archive_path(out, p).read_bytes())
        else:
            dest, links = pages / p.country / "index.ipynb", _links(named[p.country])
            executed = sweep.executed_path(out, p)
            key = hashlib.sha256((template_text + sha256_file(executed) + links).encode()).hexdigest()
            if memo.get(p.name) != key or not dest.is_file():
                nb = assemble(template, nbformat.read(executed, as_version=4), p.name)
                strip_volatile(nb, p.name)
                _fill(nb, links)
                write_if_changed(dest, nbformat.writes(nb) + "\n")
            done[p.name] = key
            for f in sweep.files_dir(out, p.country).iterdir():
                write_if_changed(pages / p.country / f.name, f.read_bytes())
                keep.add(pages / p.country / f.name)
        keep.add(dest)
    memo_path.write_text(json.dumps(done, indent=0, sort_keys=True))
    for folder in (pages, archived):
        for f in sorted(folder.rglob("*"), reverse=True) if folder.exists() else []:
            if f.is_file() and f not in keep:
                f.unlink()
            elif f.is_dir() and not any(f.iterdir()):
                f.rmdir()
