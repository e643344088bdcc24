"""Downloads that carry their metadata: a ``<name>.metadata.json`` beside every figure's CSV, the
downloads page's list of them, and the curated tables as one zip.

A figure's metadata is written in two steps. When a notebook draws the figure
(:func:`record`), it notes the columns' figure-specific meanings and the datasets and curated
tables the chapter had read so far (from the read log). When the book is assembled
(:func:`add_to_book`), the sidecar is completed from the executed notebook (the chapter, the
caption's title and description), the glossary (:mod:`aigov.columns`), ``data/sources.csv``
(licences, URLs, versions) and ``CITATION.cff``.
"""
import io
import json
import os
import re
import zipfile
from pathlib import Path

import pandas as pd

from . import citation, readlog, text
from .columns import describe
from .curated import data_as_of, read
from .files import write_if_changed
from .paths import ROOT
from .sources import manifest

METADATA = ".metadata.json"
CURATED_PREFIX = "curated/"
RELEASE = "release"  # folder of the assembled book with the zip, the figure list and the changelog
ZIP_NAME = "aigov-curated-data.zip"
CHANGELOG = ROOT / "CHANGELOG.md"


def sidecar(csv: Path) -> Path:
    return csv.with_name(csv.stem + METADATA)


def sources_read(curated: Path) -> list[str]:
    """The datasets (ids in ``data/sources.csv``) and curated tables (``curated/<table>.csv``)
    this notebook has read so far, as the read log records them."""
    log = os.environ.get(readlog.ENV)
    paths = [Path(p) for p in readlog.sources(Path(log))] if log else []
    datasets = manifest()["path"]
    found = {key for key, rel in datasets.items() for p in paths if p.as_posix().endswith("/" + rel)}
    tables = {CURATED_PREFIX + p.name for p in paths if p.parent == curated.resolve() and p.suffix == ".csv"}
    return sorted(found) + sorted(tables)


def record(csv: Path, data: pd.DataFrame, columns: dict[str, str] | None, curated: Path) -> None:
    """Write the notebook's part of the sidecar of ``csv``: each column (with its figure-specific
    meaning where given) and the sources read."""
    unknown = sorted(set(columns or {}) - set(map(str, data.columns)))
    if unknown:
        raise ValueError(f"figure {csv.stem}: columns= describes {', '.join(unknown)}, not in its data")
    cols = [{"name": str(c), **({"description": columns[c]} if c in (columns or {}) else {})}
            for c in data.columns]
    body = {"csv": csv.name, "columns": cols, "sources": [{"id": s} for s in sources_read(curated)]}
    sidecar(csv).write_text(json.dumps(body, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


# -- completing the sidecars from the executed notebooks ---------------------------------------

GLUE_FIGURE = re.compile(r"```\{glue:figure\}\s+(\S+)\n((?::[^\n]*\n)*)\n?(.*?)\n```", re.S)
RECORD = "application/papermill.record/"  # how myst-nb stores a glued value
ROLE = re.compile(r"\{([\w:]+)\}`([^`]*)`")


def glued(nb) -> dict:
    """Each value a notebook glued: numbers as numbers, Markdown as its text."""
    out = {}
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            name = o.get("metadata", {}).get("scrapbook", {}).get("name")
            data = {k.removeprefix(RECORD): v for k, v in o.get("data", {}).items()}
            if not name:
                continue
            if "text/markdown" in data:
                out[name] = data["text/markdown"]
            elif "text/plain" in data:
                try:
                    out[name] = json.loads(data["text/plain"])
                except ValueError:
                    out[name] = data["text/plain"]
    return out


def plain(markdown: str, values: dict) -> str:
    """A caption's Markdown as plain text: glued values filled in with their formats, roles
    reduced to their text, emphasis and escapes removed."""
    def role(m):
        kind, body = m.groups()
        if kind in ("glue:text", "glue"):
            key, _, fmt = body.partition(":")
            value = values.get(key, "")
            return format(value, fmt) if fmt and isinstance(value, (int, float)) else str(value)
        if kind == "glue:md":
            return str(values.get(body, ""))
        if kind.startswith("cite"):
            return ""
        label = re.match(r"(.*?)\s*<[^>]*>$", body)
        return label.group(1) if label else ("the figure" if kind == "numref" else body)
    out = ROLE.sub(role, markdown)
    out = re.sub(r"\*\*|(?<!\\)\*", "", out)
    out = re.sub(r"\\(.)", r"\1", out)
    return re.sub(r"\s+([.,;:])", r"\1", " ".join(out.split()))


def chapters(sections: Path) -> dict[str, dict]:
    """Figure name -> its chapter (title, page), title and description, from the executed notebooks."""
    import nbformat  # here, not at the top: every notebook's kernel imports this module, and nbformat costs it a second
    out = {}
    for path in sorted(sections.glob("*.ipynb")):
        nb = nbformat.v4.reads(path.read_text(encoding="utf-8"))  # not validated again: the build wrote it
        values = glued(nb)
        md = [c.source for c in nb.cells if c.cell_type == "markdown"]
        heading = next((line[2:].strip() for s in md for line in s.splitlines() if line.startswith("# ")), path.stem)
        for s in md:
            for name, _, caption in GLUE_FIGURE.findall(s):
                caption = re.sub(r"\n\s*Data:.*", "", caption, flags=re.S)
                bold = re.match(r"\s*\*\*(.+?)\*\*\s*(.*)", caption, re.S)
                title, rest = (bold.group(1), bold.group(2)) if bold else ("", caption)
                out[name] = {"title": plain(title, values), "description": plain(rest, values),
                             "chapter": {"title": plain(heading, values), "page": f"sections/{path.stem}.html"}}
    return out


def source_entry(key: str, cff: dict) -> dict:
    """A source of a figure: a dataset of ``data/sources.csv`` or a curated table."""
    if key.startswith(CURATED_PREFIX):
        table = key[len(CURATED_PREFIX):]
        return {"id": key, "title": f"Curated table {table}", "publisher": citation.authors(cff),
                "licence": cff["license"], "notes": f"notes/{Path(table).stem}.md in {ZIP_NAME}"}
    row = manifest().loc[key]
    return {"id": key, "title": row["title"], "publisher": row["publisher"], "url": row["url"],
            "licence": row["license"], "version": row["version"], "citation": row["citation"]}


def complete(figures: Path, sections: Path, curated: Path) -> list[dict]:
    """Complete every figure's sidecar; returns the completed metadata, by figure name."""
    forums = read(curated / "forums.csv").set_index("forum_id")["name"].to_dict()  # validated by the build
    cff, day = citation.metadata(), data_as_of(curated)
    found = chapters(sections)
    out = []
    for path in sorted(figures.glob("*" + METADATA)):
        meta = json.loads(path.read_text(encoding="utf-8"))
        name = path.name[:-len(METADATA)]
        columns = []
        for col in meta["columns"]:
            meaning, unit = describe(col["name"], forums) or (None, None)
            columns.append({"name": col["name"], "description": col.get("description") or meaning,
                            "unit": unit or ""})
        about = found.get(name, {"title": "", "description": "", "chapter": None})
        full = {
            "name": name, "title": about["title"], "description": about["description"],
            "chapter": about["chapter"], "csv": meta["csv"], "columns": columns,
            "sources": [source_entry(s["id"], cff) for s in meta["sources"]],
            "sources_note": "The datasets and curated tables the chapter had read when it drew the figure.",
            "licence": f"{cff['license']} (this report); each source keeps its own licence, listed with it",
            "data_as_of": f"{day:%Y-%m-%d}", "version": citation.version(),
            "citation": citation.citation(day),
        }
        write_if_changed(path, json.dumps(full, indent=1, ensure_ascii=False) + "\n")
        out.append(full)
    return out


def figure_list(metas: list[dict]) -> str:
    """The downloads page's table of figures, chapter by chapter (MyST Markdown)."""
    lines = []
    by_chapter: dict[str, list[dict]] = {}
    for m in metas:
        by_chapter.setdefault(m["chapter"]["title"] if m["chapter"] else "Other figures", []).append(m)
    order = sorted(by_chapter, key=lambda t: min((m["chapter"] or {}).get("page", "~") for m in by_chapter[t]))
    for chapter in order:
        lines += [f"### {text.escape(chapter)}", "", "| figure | data | metadata | licences of the chapter's sources |",
                  "| --- | --- | --- | --- |"]
        for m in by_chapter[chapter]:
            licences = sorted({s["licence"] for s in m["sources"]})
            lines.append(f"| {text.escape(m['title'] or m['name'])} "
                         f"| {{download}}`CSV <figures/{m['csv']}>` "
                         f"| {{download}}`JSON <figures/{m['name']}{METADATA}>` "
                         f"| {text.escape('; '.join(licences)) or 'none recorded'} |")
        lines.append("")
    return "\n".join(lines)


# -- the curated tables as one zip -------------------------------------------------------------

def datapackage(curated: Path, cff: dict, day: pd.Timestamp) -> dict:
    """A Frictionless Data Package descriptor of the curated tables."""
    from .datapage import DESCRIPTIONS
    resources = []
    for csv in sorted(curated.glob("*.csv")):
        header = pd.read_csv(csv, nrows=0, encoding="utf-8-sig").columns
        resources.append({
            "name": csv.stem, "path": f"data/{csv.name}", "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8", "description": f"See notes/{csv.stem}.md",
            "schema": {"fields": [{"name": c, "type": "string", **({"description": DESCRIPTIONS[c]}
                                                                  if c in DESCRIPTIONS else {})} for c in header]},
        })
    return {"name": "aigov-curated-data", "title": f"{cff['title']}: curated tables",
            "version": citation.version(), "created": f"{day:%Y-%m-%d}",
            "licenses": [{"name": cff["license"]}], "contributors": [{"title": citation.authors(cff)}],
            "description": f"Curated data verified as of {day:%Y-%m-%d}. Cite as: {citation.citation(day)}",
            "resources": resources}


def readme(curated: Path, cff: dict, day: pd.Timestamp) -> str:
    tables = "\n".join(f"- data/{p.name}: {len(pd.read_csv(p, encoding='utf-8-sig'))} rows, described in notes/{p.stem}.md"
                       for p in sorted(curated.glob("*.csv")))
    return (f"# {cff['title']}: curated tables\n\n"
            f"Version {citation.version()}; the curated data were last verified on {day:%-d %B %Y}.\n\n"
            f"{tables}\n\n"
            "Every row carries the web address of its source and, for memberships, events and institutes, "
            "an evidence grade. datapackage.json describes the tables' columns.\n\n"
            f"Licence: {cff['license']}.\n\nCite as: {citation.citation(day)}\n")


def curated_zip(curated: Path, dest: Path) -> Path:
    """The curated tables, their notes, the data date, a README and a datapackage.json as one zip,
    byte-identical for the same tables (entries sorted, dated on the data date)."""
    cff, day = citation.metadata(), data_as_of(curated)
    stamp = (day.year, day.month, day.day, 0, 0, 0)
    entries = {f"data/{p.name}": p.read_bytes() for p in curated.glob("*.csv")}
    entries |= {f"notes/{p.name}": p.read_bytes() for p in (curated / "notes").glob("*.md")}
    entries["data/data_as_of.txt"] = (curated / "data_as_of.txt").read_bytes()
    entries["README.md"] = readme(curated, cff, day).encode()
    entries["datapackage.json"] = (json.dumps(datapackage(curated, cff, day), indent=1, ensure_ascii=False) + "\n").encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, stamp)
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            z.writestr(info, entries[name])
    write_if_changed(dest, buf.getvalue())
    return dest


def add_to_book(source: Path, curated: Path) -> None:
    """Complete the figures' sidecars and write ``release/`` into the assembled book: the zip of
    the curated tables, the list of figures the downloads page includes, and the changelog."""
    release = source / RELEASE
    release.mkdir(parents=True, exist_ok=True)
    figures = source / "figures"
    metas = complete(figures, source / "sections", curated) if figures.is_dir() else []
    write_if_changed(release / "figures.md", figure_list(metas))
    curated_zip(curated, release / ZIP_NAME)
    if CHANGELOG.is_file():
        write_if_changed(release / "CHANGELOG.md", CHANGELOG.read_bytes())
