"""The `leaksearch` command line: a thin layer over build_index, read_failures and search."""

import json
import os
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING

import click
from whoosh.index import EmptyIndexError, LockError

from indexer.index.options import BuildOptions

# Each command imports the library modules it runs, so that `leaksearch --help` loads none of
# them and `leaksearch search` does not wait for the extractors or the CSV export.
if TYPE_CHECKING:
    from indexer.search.filters import Filters

INDEX_OPTION = click.option(
    "--index",
    "index_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("index"),
    show_default=True,
    help="Index folder.",
)


@click.group()
def main() -> None:
    """Index a folder of leaked documents and search it, in Chinese, pinyin or English."""


@main.command()
@click.argument("corpus", type=click.Path(exists=True, file_okay=False, path_type=Path))
@INDEX_OPTION
@click.option("--rebuild", is_flag=True, help="Re-read every file instead of only changed ones.")
@click.option(
    "--workers",
    type=click.IntRange(1),
    default=os.cpu_count() or 1,
    show_default=True,
    help="Extraction processes.",
)
@click.option(
    "--ocr",
    type=click.Choice(["on", "off", "auto"]),
    default="auto",
    show_default=True,
    help="Read images (RapidOCR, Tesseract as a second reading): auto = when installed.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=BuildOptions.timeout,
    show_default=True,
    help="Seconds one file's extraction may take.",
)
@click.option(
    "--max-file-mb",
    type=click.FloatRange(min=0),
    default=BuildOptions.max_file_mb,
    show_default=True,
    help="Files larger than this are listed, not read.",
)
@click.option(
    "--no-entities",
    is_flag=True,
    help="Do not look for people and organisations (the person and org facets stay empty).",
)
def index(
    corpus: Path,
    index_dir: Path,
    rebuild: bool,
    workers: int,
    ocr: str,
    timeout: float,
    max_file_mb: float,
    no_entities: bool,
) -> None:
    """Index CORPUS into the index folder (incremental by content hash)."""
    # Imported here, as in `failures`: the extractors take a second to load, which a search
    # from the command line should not wait for.
    from indexer.index.build import OCRUnavailable, build_index
    from indexer.index.progress import progress_reporter

    options = BuildOptions(
        workers=workers,
        ocr=ocr,
        timeout=timeout,
        max_file_mb=max_file_mb,
        entities=not no_entities,
    )
    update, close = progress_reporter()
    try:
        report = build_index(corpus, index_dir, rebuild=rebuild, options=options, progress=update)
    except OCRUnavailable as e:
        raise click.ClickException(f"--ocr on, but {e}") from e
    except LockError as e:
        raise click.ClickException(
            f"another `leaksearch index` is writing to {index_dir}; wait for it to finish"
        ) from e
    finally:
        close()
    click.echo(
        f"added {report.added}, updated {report.updated}, removed {report.removed}, "
        f"unchanged {report.unchanged}, failed {report.failed} in {report.seconds:.2f}s"
    )
    if report.failures:
        click.echo(f"{report.failures} not indexed: leaksearch failures --index {index_dir}")


@main.command()
@INDEX_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of lines.")
def failures(index_dir: Path, as_json: bool) -> None:
    """List every file that was not indexed, with the reason."""
    from indexer.index.build import read_failures

    rows = read_failures(index_dir)
    if as_json:
        click.echo(json.dumps([f.__dict__ for f in rows], ensure_ascii=False, indent=1))
        return
    for f in rows:
        click.echo(f"{f.path}\t{f.reason}")
    click.echo(f"{len(rows)} file(s) not indexed", err=True)


def _filters(country, target_type, lang, kind, person, org, date_from, date_to) -> "Filters":
    from indexer.search.filters import Filters

    return Filters(
        include={
            "country": country,
            "target_type": target_type,
            "lang": lang,
            "kind": kind,
            "person": person,
            "org": org,
        },
        date_from=date_from.date() if date_from else None,
        date_to=date_to.date() if date_to else None,
    )


def filter_options(command):
    """The filter options shared by search and batch."""
    options = [
        click.option(
            "--country", multiple=True, help="ISO code, English or Chinese name; repeatable."
        ),
        click.option("--target-type", multiple=True, help="Target type code or name; repeatable."),
        click.option("--lang", multiple=True, help="zh, en, mixed, ...; repeatable."),
        click.option(
            "--kind",
            multiple=True,
            type=click.Choice(["document", "message"]),
            help="Only whole documents, or only chat messages.",
        ),
        click.option(
            "--person", multiple=True, help="A person named (吴海波, Wu Haibo); repeatable."
        ),
        click.option(
            "--org", multiple=True, help="An organisation named (Ministry of ...); repeatable."
        ),
        click.option(
            "--from",
            "date_from",
            type=click.DateTime(["%Y-%m-%d"]),
            help="Documents that mention a date from this day on.",
        ),
        click.option(
            "--to",
            "date_to",
            type=click.DateTime(["%Y-%m-%d"]),
            help="Documents that mention a date up to this day.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@main.command(name="search")
@click.argument("query")
@INDEX_OPTION
@filter_options
@click.option(
    "--sort",
    type=click.Choice(["relevance", "date", "-date"]),
    default="relevance",
    show_default=True,
    help="Order of hits; -date is newest first.",
)
@click.option(
    "--limit",
    default=10,
    show_default=True,
    type=click.IntRange(1, 100),
    help="Hits to show (text and --json).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "csv", "jsonl"]),
    default="text",
    show_default=True,
    help="csv and jsonl export every hit, not a page.",
)
@click.option(
    "--no-translate",
    "no_translate",
    is_flag=True,
    help="Search typed words without their dictionary translations (English <-> Chinese).",
)
@click.option(
    "--drop",
    multiple=True,
    help="Leave this translation out (a word the search lists as a translation); repeatable.",
)
def search_command(
    query: str,
    index_dir: Path,
    country,
    target_type,
    lang,
    kind,
    person,
    org,
    date_from,
    date_to,
    sort: str,
    limit: int,
    as_json: bool,
    fmt: str,
    no_translate: bool,
    drop: tuple[str, ...],
) -> None:
    """Search the index for QUERY (Whoosh syntax: AND OR NOT, "phrases", field:value, wildcards)."""
    from indexer.search.search import search
    from indexer.search.translate import Options

    filters = _filters(country, target_type, lang, kind, person, org, date_from, date_to)
    translation = Options(not no_translate, frozenset(drop))
    with _errors(index_dir):
        if fmt in ("csv", "jsonl"):
            from indexer.search.export import export_rows, to_csv, to_jsonl

            rows = export_rows(index_dir, query, filters, sort, translation=translation)
            for chunk in to_csv(rows, bom=False) if fmt == "csv" else to_jsonl(rows):
                click.echo(chunk, nl=False)
            return
        # The text output shows no facets: their table, built per index, is left unbuilt.
        as_text = not (as_json or fmt == "json")
        results = search(
            index_dir,
            query,
            filters,
            pagelen=limit,
            sort=sort,
            group=True,
            facets=not as_text,
            translation=translation,
        )
    if not as_text:
        click.echo(json.dumps(results.to_json(), ensure_ascii=False, indent=1))
        return
    partial = " (cut short by the time limit: partial)" if results.cut_short else ""
    click.echo(f"{results.total} hit(s) in {results.seconds * 1000:.0f} ms{partial}")
    for e in results.expansions:
        if e.kind == "translation":
            said = "; ".join(f"{t.word} {t.reading} ({t.gloss})" for t in e.translations)
            click.echo(f"also searched {e.typed} as: {said.replace('  ', ' ')}")
    for hit in results.hits:
        where = f"{hit.path} #{hit.message['index']}" if hit.message else hit.path
        click.echo(
            f"\n{where}  [{', '.join(hit.country)}] [{', '.join(hit.target_type)}] {hit.lang}"
        )
        click.echo(f"  {hit.title}")
        if hit.message_count:
            click.echo(f"  {hit.message_count} matching message(s), the first:")
            for m in hit.messages:
                click.echo(f"  #{m['index']} {m['time']} {m['from']} → {m['to']}")
                click.echo("    " + m["html"].striptags())
        else:
            click.echo("  " + hit.snippet.striptags())


@main.command()
@click.argument("terms_file", type=click.File(encoding="utf-8-sig"))
@INDEX_OPTION
@filter_options
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV (term,documents,messages,error).")
def batch(
    terms_file,
    index_dir: Path,
    country,
    target_type,
    lang,
    kind,
    person,
    org,
    date_from,
    date_to,
    as_csv: bool,
) -> None:
    """Count the documents and chat messages matching each term in TERMS_FILE (one a line).

    A chat log counts once among the documents however many of its messages match.
    """
    from indexer.search.export import batch_counts, batch_csv

    filters = _filters(country, target_type, lang, kind, person, org, date_from, date_to)
    with _errors(index_dir):
        rows = batch_counts(index_dir, terms_file, filters)
    if as_csv:
        click.echo(batch_csv(rows), nl=False)
        return
    click.echo("documents\tmessages\tterm")
    for r in rows:
        counts = "-\t-" if r.documents is None else f"{r.documents}\t{r.messages}"
        click.echo(f"{counts}\t{r.term}" + (f"\t{r.error}" if r.error else ""))


class UnusableIndex(click.ClickException):
    """An index this version cannot search; exit status 2, as for a usage error."""

    exit_code = 2


@contextmanager
def _errors(index_dir: Path):
    """Library errors as messages for the user."""
    from indexer.index.reader import OldIndexError
    from indexer.search.query import QueryError

    try:
        yield
    except QueryError as e:
        raise click.ClickException(str(e)) from e
    except EmptyIndexError as e:
        raise click.ClickException(f"no index in {index_dir}: run `leaksearch index` first") from e
    except OldIndexError as e:
        raise UnusableIndex(str(e)) from e


@main.command()
@INDEX_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--threads",
    type=click.IntRange(1),
    default=8,
    show_default=True,
    help="Requests answered at once (Waitress worker threads).",
)
def serve(index_dir: Path, host: str, port: int, threads: int) -> None:
    """Serve the search UI over the index with Waitress, a production WSGI server."""
    import threading

    import waitress

    from indexer.analyse.glosses import warm
    from indexer.index.reader import open_index
    from search_web import create_app

    # Refused at once rather than a server whose every page says to rebuild; none yet is served
    # (its pages say to run `leaksearch index`).
    with _errors(index_dir), suppress(EmptyIndexError):
        open_index(index_dir)
    app = create_app({"INDEX_DIR": str(index_dir.resolve())})
    # Glossing's tables load while the server starts, not on its first Chinese page.
    threading.Thread(target=warm, name="warm-glosses", daemon=True).start()
    click.echo(f"leaksearch on http://{host}:{port}/ ({threads} threads); Ctrl-C stops it")
    waitress.serve(app, host=host, port=port, threads=threads, ident="leaksearch")


if __name__ == "__main__":
    main()
