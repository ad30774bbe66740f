"""Document-control verbs of the ``itsms`` command line (thin: generator.workflow)."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import workflow
from .cli import common, do_check, guarded, load_settings, main, optional_date
from .i18n import text


def _run(
    root: Path, as_of: dt.date, lang: str | None, verb: Callable[..., workflow.Change], *args: Any
) -> None:
    settings = load_settings(root, lang)
    result = do_check(root, settings, as_of)
    try:
        change = verb(result, *args)
    except workflow.ControlError as exc:
        click.echo(f"itsms: {text(exc.key, settings.lang, **exc.params)}", err=True)
        sys.exit(exc.code)
    except OSError as exc:  # the file was left as it was (written whole or not at all)
        click.echo(f"itsms: {text('ctl.write_failed', settings.lang, error=exc)}", err=True)
        sys.exit(2)

    click.echo(text(change.key, settings.lang, **change.params))


@main.command("new")
@common
@click.argument("doc_type", metavar="TYPE", type=click.Choice(workflow.TYPES))
@click.option("--title", required=True, help="标题, e.g. 服务目录管理程序")
@click.option(
    "--owner", required=True, help="the owner: a role of content/roles.yml, by id or exact name"
)
@click.option("--author", default=None, help="default: git config user.name")
@guarded
def new(
    root: Path,
    as_of: dt.date,
    lang: str | None,
    doc_type: str,
    title: str,
    owner: str,
    author: str | None,
) -> None:
    """A new draft with the next free id, from the template."""
    _run(root, as_of, lang, workflow.new_document, doc_type, title, owner, author)


@main.command()
@common
@click.argument("doc_id", metavar="ID")
@click.option("--by", "by", required=True, help="the approver (not the author)")
@click.option(
    "--on",
    "on",
    callback=optional_date,
    metavar="YYYY-MM-DD",
    help="approval date (default: --as-of, today)",
)
@click.option(
    "--effective",
    callback=optional_date,
    metavar="YYYY-MM-DD",
    help="when it takes effect (default: the approval date)",
)
@click.option("--summary", default=None, help="what changed (the history entry)")
@guarded
def approve(
    root: Path,
    as_of: dt.date,
    lang: str | None,
    doc_id: str,
    by: str,
    on: dt.date | None,
    effective: dt.date | None,
    summary: str | None,
) -> None:
    """Approve a document: status, approver, dates, history entry, fingerprint."""
    _run(root, as_of, lang, workflow.approve, doc_id, by, on, effective, summary)


@main.command()
@common
@click.argument("doc_id", metavar="ID")
@click.option("--summary", default=None, help="what the revision changes")
@click.option("--major", is_flag=True, help="a major version (2.3 -> 3.0)")
@guarded
def revise(
    root: Path, as_of: dt.date, lang: str | None, doc_id: str, summary: str | None, major: bool
) -> None:
    """Start the next version as a draft (the approved one stays in effect)."""
    _run(root, as_of, lang, workflow.revise, doc_id, summary, major)


@main.command()
@common
@click.argument("doc_id", metavar="ID")
@click.option("--by", "by_id", required=True, metavar="NEW", help="the replacing document's id")
@click.option(
    "--on", "on", callback=optional_date, metavar="YYYY-MM-DD", help="default: --as-of, today"
)
@click.option("--force", is_flag=True, help="even if a leaf clause is left uncovered")
@guarded
def supersede(
    root: Path,
    as_of: dt.date,
    lang: str | None,
    doc_id: str,
    by_id: str,
    on: dt.date | None,
    force: bool,
) -> None:
    """End a document's life: superseded by an approved document in effect (recorded on
    both sides, with the date, in their history)."""
    _run(root, as_of, lang, workflow.supersede, doc_id, by_id, on, force)


@main.command()
@common
@click.argument("doc_id", metavar="ID")
@click.option("--reason", required=True, help="why it is withdrawn")
@click.option("--force", is_flag=True, help="even if a leaf clause is left uncovered")
@guarded
def withdraw(
    root: Path, as_of: dt.date, lang: str | None, doc_id: str, reason: str, force: bool
) -> None:
    """End a document's life: withdrawn, with the reason and the date."""
    _run(root, as_of, lang, workflow.withdraw, doc_id, reason, force)


@main.command()
@common
@click.argument("doc_id", metavar="ID")
@guarded
def submit(root: Path, as_of: dt.date, lang: str | None, doc_id: str) -> None:
    """A draft goes to review (refused while it is the template or has errors)."""
    _run(root, as_of, lang, workflow.submit, doc_id)


@main.command()
@common
@click.argument("doc_id", metavar="ID")
@click.option(
    "--on", "on", callback=optional_date, metavar="YYYY-MM-DD", help="default: --as-of, today"
)
@click.option("--by", "by", default=None, help="who reviewed it (noted in the history)")
@click.option(
    "--next",
    "next_review",
    callback=optional_date,
    metavar="YYYY-MM-DD",
    help="the next review (default: --on plus the review cycle, review_months or 12)",
)
@guarded
def reviewed(
    root: Path,
    as_of: dt.date,
    lang: str | None,
    doc_id: str,
    on: dt.date | None,
    by: str | None,
    next_review: dt.date | None,
) -> None:
    """Record a periodic review that changes nothing: next_review and a history note
    (version, approval, text and fingerprint unchanged)."""
    _run(root, as_of, lang, workflow.reviewed, doc_id, on, by, next_review)


@main.command()
@common
@click.argument("doc_ids", metavar="ID...", nargs=-1)
@click.option("--all", "every", is_flag=True, help="every approved document without a fingerprint")
@guarded
def seal(
    root: Path, as_of: dt.date, lang: str | None, doc_ids: tuple[str, ...], every: bool
) -> None:
    """Record the fingerprint of approvals made before itsms (approver, dates, text unchanged)."""
    _run(root, as_of, lang, workflow.seal, doc_ids, every)


@main.command("seal-evidence")
@common
@click.argument("rec_ids", metavar="RECORD...", nargs=-1)
@click.option("--all", "every", is_flag=True, help="every local evidence file without a sha256")
@guarded
def seal_evidence(
    root: Path, as_of: dt.date, lang: str | None, rec_ids: tuple[str, ...], every: bool
) -> None:
    """Record the sha256 of records' local evidence files (only that line is added)."""
    from .sealevidence import seal_evidence as verb

    _run(root, as_of, lang, verb, rec_ids, every)


@main.command("init")
@click.argument("directory", metavar="DIR", type=click.Path(path_type=Path))
@click.option("--name", default=None, help="the portal's name (site_name), e.g. 信息部运维体系")
@click.option("--author", default=None, help="the example draft's author (default: git user)")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh")
@guarded
def init_repo(directory: Path, name: str | None, author: str | None, lang: str) -> None:
    """A new repository (settings, roles, home page, an example draft) that checks and builds."""
    from . import scaffold
    from .cli import Failure

    try:
        done = scaffold.init(directory, name)
    except scaffold.InitError as exc:
        raise Failure(text(exc.key, lang, **exc.params)) from None
    except OSError as exc:
        raise Failure(text("ctl.write_failed", lang, error=exc)) from None
    procedures = directory / "procedures"
    if not any(procedures.glob("*.md")):
        result = do_check(directory, load_settings(directory, lang), dt.date.today())
        role = result.corpus.role(scaffold.EXAMPLE_OWNER)
        owner = role.id if role else next(iter(result.corpus.roles), scaffold.EXAMPLE_OWNER)
        try:
            change = workflow.new_document(
                result, "procedure", scaffold.EXAMPLE_TITLE, owner, author
            )
        except workflow.ControlError as exc:
            raise Failure(text(exc.key, lang, **exc.params)) from None
        done.written += [p.relative_to(directory).as_posix() for p in change.files]
    for rel in done.written:
        click.echo(text("ui.init_written", lang, file=rel))
    for rel in done.kept:
        click.echo(text("ui.init_kept", lang, file=rel))
    click.echo(text("ui.init_done", lang, root=str(directory)))


@main.command("import")
@common
@click.argument(
    "files", metavar="FILE...", nargs=-1, required=True, type=click.Path(path_type=Path)
)
@click.option(
    "--type",
    "doc_type",
    type=click.Choice(workflow.TYPES),
    default=None,
    help="document type (default: from the id's prefix, else procedure)",
)
@click.option("--owner", default=None, help="the owner's role (id or name) from content/roles.yml")
@guarded
def import_(
    root: Path,
    as_of: dt.date,
    lang: str | None,
    files: tuple[Path, ...],
    doc_type: str | None,
    owner: str | None,
) -> None:
    """Word (.docx) or Markdown files -> controlled documents (drafts, or approved on paper)."""
    from .importer import UNMAPPED, import_files

    settings = load_settings(root, lang)
    result = do_check(root, settings, as_of)
    try:
        plans = import_files(result, list(files), doc_type, owner)
    except workflow.ControlError as exc:
        click.echo(f"itsms: {text(exc.key, settings.lang, **exc.params)}", err=True)
        sys.exit(exc.code)
    except OSError as exc:
        click.echo(f"itsms: {text('ctl.write_failed', settings.lang, error=exc)}", err=True)
        sys.exit(2)
    for plan in plans:
        rel = plan.path.relative_to(result.root).as_posix()
        key = "import.done.approved" if plan.status == "approved" else "import.done.draft"
        click.echo(text(key, settings.lang, source=plan.source, file=rel, id=plan.doc_id))
        if plan.images:
            folder = plan.images[0][0].parent.relative_to(result.root).as_posix()
            click.echo(text("import.images", settings.lang, count=len(plan.images), folder=folder))
        for note in plan.notes:
            line = "import.note" if note.key in UNMAPPED else "import.info"
            click.echo(text(line, settings.lang, text=note))
