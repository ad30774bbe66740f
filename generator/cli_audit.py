"""The auditor's verbs of the ``itsms`` command line: trace, coverage, register,
matrix, audit-pack (thin: generator.trace, views, export, auditpack)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import click

from . import export, views
from .check import CheckResult
from .cli import _parse_period, common, do_check, guarded, load_settings, main
from .i18n import Translator, text
from .scope import Scope
from .settings import Period

FORMATS = click.Choice(["table", "csv", "xlsx", "json"])


def _meta(result: CheckResult) -> dict[str, Any]:
    return {
        "as_of": result.as_of.isoformat(),
        "standard": result.standard.id,
        "period": {"from": result.period.start.isoformat(), "to": result.period.end.isoformat()},
    }


def _emit(
    tables: list[views.Table],
    result: CheckResult,
    fmt: str,
    out: Path | None,
    lang: str,
    extra: dict[str, Any] | None = None,
) -> None:
    """Render tables in a format, to stdout or to --out (xlsx needs --out)."""
    meta = {**_meta(result), **(extra or {})}
    if fmt == "xlsx":
        if out is None:
            raise click.UsageError("--format xlsx needs --out FILE.xlsx")
        export.write_xlsx(tables, out, lang, views.stamp(result, lang))
        click.echo(text("ui.written", lang, path=str(out)))
        return
    if fmt == "table":
        body = "\n".join(export.render_table(t, lang) for t in tables)
    elif fmt == "csv":
        body = export.render_csv(tables[0], lang)
    elif len(tables) == 1:
        body = export.render_json(tables[0], meta)
    else:
        body = export.render_json_tables(tables, meta)
    if out is not None:
        from .edit import write_atomic

        write_atomic(out, body)
        click.echo(text("ui.written", lang, path=str(out)))
    elif fmt == "csv":
        sys.stdout.buffer.write(body.encode("utf-8"))
    else:
        click.echo(body, nl=False)


def scope_options(func: Any) -> Any:
    """What a view shows: by default what the portal publishes (the version in force of
    each approved document, nothing confidential)."""
    func = click.option(
        "--include-confidential",
        "confidential",
        is_flag=True,
        help="also confidential documents and records",
    )(func)
    func = click.option("--preview", is_flag=True, help="also drafts and documents under review")(
        func
    )
    return func


def view_options(func: Any) -> Any:
    func = scope_options(func)
    func = click.option(
        "--out",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="write to this file (needed for xlsx)",
    )(func)
    func = click.option(
        "--period",
        callback=_parse_period,
        metavar="FROM..TO",
        help="audit period (default: the settings', else 12 months up to --as-of)",
    )(func)
    func = click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)(func)
    return func


@main.command()
@common
@view_options
@guarded
def coverage(
    root: Path,
    as_of: dt.date,
    lang: str | None,
    fmt: str,
    period: Period | None,
    out: Path | None,
    preview: bool,
    confidential: bool,
) -> None:
    """The clause coverage matrix: each leaf clause, its documents, its records."""
    settings = load_settings(root, lang)
    result = do_check(root, settings, as_of, period)
    scope = Scope(result, preview=preview, confidential=confidential)
    extra = {
        "leaf_clauses": len(result.coverage.leaves),
        "covered": result.coverage.covered,
        "evidenced": result.coverage.evidenced,
    }
    table = views.coverage_table(result, settings.lang, scope)
    _emit([table], result, fmt, out, settings.lang, extra)


@main.command()
@common
@view_options
@guarded
def register(
    root: Path,
    as_of: dt.date,
    lang: str | None,
    fmt: str,
    period: Period | None,
    out: Path | None,
    preview: bool,
    confidential: bool,
) -> None:
    """The document register (文件清单): each document in the version in force."""
    settings = load_settings(root, lang)
    result = do_check(root, settings, as_of, period)
    scope = Scope(result, preview=preview, confidential=confidential)
    _emit([views.register_table(result, settings.lang, scope)], result, fmt, out, settings.lang)


@main.command()
@common
@view_options
@click.option(
    "--view",
    type=click.Choice(["processes", "activities"]),
    default=None,
    help="one of the two matrices (csv shows processes unless told)",
)
@guarded
def matrix(
    root: Path,
    as_of: dt.date,
    lang: str | None,
    fmt: str,
    period: Period | None,
    out: Path | None,
    preview: bool,
    confidential: bool,
    view: str | None,
) -> None:
    """The RACI matrices: roles x processes, and roles x activities."""
    settings = load_settings(root, lang)
    result = do_check(root, settings, as_of, period)
    scope = Scope(result, preview=preview, confidential=confidential)
    tables = views.matrix_tables(result, settings.lang, scope)
    if view:
        tables = [tables[0 if view == "processes" else 1]]
    _emit(tables, result, fmt, out, settings.lang)


@main.command()
@common
@click.argument("target", metavar="CLAUSE_OR_ID")
@click.option(
    "--period",
    callback=_parse_period,
    metavar="FROM..TO",
    help="audit period (default: the settings', else 12 months up to --as-of)",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@scope_options
@guarded
def trace(
    root: Path,
    as_of: dt.date,
    lang: str | None,
    target: str,
    period: Period | None,
    fmt: str,
    preview: bool,
    confidential: bool,
) -> None:
    """Clause -> documents -> records, or document -> clauses -> records."""
    from .trace import TraceError, render_text
    from .trace import trace as do_trace

    settings = load_settings(root, lang)
    result = do_check(root, settings, as_of, period)
    try:
        data = do_trace(result, target, Scope(result, preview=preview, confidential=confidential))
    except TraceError as exc:
        click.echo(f"itsms: {text(exc.key, settings.lang, target=target)}", err=True)
        sys.exit(2)
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        click.echo(render_text(data, Translator(settings.lang)), nl=False)


@main.command("audit-pack")
@common
@click.option(
    "--period",
    callback=_parse_period,
    metavar="FROM..TO",
    help="audit period (default: the settings', else 12 months up to --as-of)",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="the zip file to write",
)
@click.option(
    "--include-confidential",
    is_flag=True,
    help="put confidential records and documents in the spreadsheets and evidence",
)
@guarded
def audit_pack(
    root: Path,
    as_of: dt.date,
    lang: str | None,
    period: Period | None,
    out: Path,
    include_confidential: bool,
) -> None:
    """Everything an auditor takes away, in one zip with a manifest of sha256s."""
    from .auditpack import build_pack
    from .plugin import integrity_errors
    from .publish import PublishError, SiteDirError

    settings = load_settings(root, lang)
    period = period or settings.period(as_of)
    result = do_check(root, settings, period.end, period)
    if integrity_errors(result):
        click.echo(text("ui.pack_stopped", settings.lang), err=True)
        sys.exit(1)
    try:
        pack = build_pack(result, out, include_confidential, settings.lang)
    except SiteDirError as exc:
        click.echo(f"itsms: {text(exc.key, settings.lang, **exc.params)}", err=True)
        sys.exit(2)
    except PublishError as exc:
        click.echo(f"itsms: {exc}", err=True)
        sys.exit(1)
    click.echo(
        text(
            "ui.pack_written",
            settings.lang,
            path=str(pack.path),
            files=pack.files,
            evidence=pack.evidence,
            period=str(period),
        )
    )


@main.command()
@common
@click.option(
    "--from",
    "source",
    default=None,
    metavar="STANDARD",
    help="the older edition (default: the settings' transition_from, else their standard)",
)
@click.option(
    "--to",
    "target",
    default=None,
    metavar="STANDARD",
    help="the new edition, e.g. iso20000-1:2018 (default: the settings' transition_to, "
    "else their standard)",
)
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None)
@guarded
def transition(
    root: Path,
    as_of: dt.date,
    lang: str | None,
    source: str | None,
    target: str | None,
    fmt: str,
    out: Path | None,
) -> None:
    """For each clause of the new edition: where it comes from, what covers it, gaps."""
    from .cli import Failure
    from .standards import CatalogueError
    from .transition import CROSSWALK, DIRECT, GAP, analyse, transition_table

    settings = load_settings(root, lang)
    source = source or settings.transition_from or settings.standard
    target = target or settings.transition_to or settings.standard
    result = do_check(root, settings, as_of)
    try:
        tr = analyse(result, target, source)
    except CatalogueError as exc:
        raise Failure(str(exc)) from None
    extra = {
        "from": tr.source.id,
        "to": tr.target.id,
        "leaf_clauses": len(tr.rows),
        "direct": tr.count(DIRECT),
        "crosswalk": tr.count(CROSSWALK),
        "gap": tr.count(GAP),
    }
    _emit([transition_table(tr, settings.lang)], result, fmt, out, settings.lang, extra)
