"""The ``itsms`` command line: a thin adapter over the core (click).

Exit codes: 0 no errors (warnings allowed unless --strict), 1 findings that
fail, 2 the command could not run (bad arguments, unreadable settings).
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import replace
from functools import wraps
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from . import report
from .cachedir import NO_CACHE_ENV
from .check import CheckResult, run_check
from .console import CLOSED_PIPE, INTERRUPTED
from .i18n import text
from .settings import (
    CONFIG_FILE,
    Period,
    Settings,
    SettingsError,
    parse_period,
    read_settings,
)
from .sourcecache import SourceCache
from .standards import CatalogueError

F = TypeVar("F", bound=Callable[..., Any])


class Failure(click.ClickException):
    """The command could not run: a message on stderr and exit code 2."""

    exit_code = 2


def optional_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date YYYY-MM-DD") from None


def _parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date:
    return optional_date(ctx, param, value) or dt.date.today()


def _parse_period(ctx: click.Context, param: click.Parameter, value: str | None) -> Period | None:
    if value is None:
        return None
    try:
        return parse_period(value)
    except SettingsError as exc:
        raise click.BadParameter(str(exc)) from None


def common(func: F) -> F:
    """--root, --as-of and --lang, shared by every verb."""
    func = click.option(
        "--lang",
        type=click.Choice(["zh", "en"]),
        default=None,
        help="language of messages (default: the settings' lang, zh)",
    )(func)
    func = click.option(
        "--as-of",
        "as_of",
        metavar="YYYY-MM-DD",
        callback=_parse_date,
        envvar="ITSMS_AS_OF",
        help="judge dates as of this day (default: $ITSMS_AS_OF, else today)",
    )(func)
    func = click.option(
        "--root",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("."),
        show_default=True,
        help="the repository (holds mkdocs.yml, content/, procedures/, records/)",
    )(func)
    return func


def load_settings(root: Path, lang: str | None) -> Settings:
    if not root.is_dir():
        raise Failure(f"--root {root}: no such folder")
    try:
        settings = read_settings(root)
    except SettingsError as exc:
        raise Failure(exc.render(lang)) from None
    return replace(settings, lang=lang) if lang else settings


def catalogue_failure(exc: CatalogueError, lang: str, root: Path) -> Failure:
    """A catalogue that cannot be used; an unknown ``standard`` said as a settings error."""
    if exc.problem is not None:
        return Failure(SettingsError([exc.problem], str(root / CONFIG_FILE)).render(lang))
    return Failure(str(exc))


def _show_progress() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A bar on an interactive terminal; nothing in CI or when output is piped."""
    if not _show_progress():
        yield None
        return
    state: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        bar = state.get("bar")
        if bar is None:
            bar = click.progressbar(length=total, label=label, file=sys.stderr)
            bar.__enter__()
            state["bar"] = bar
        bar.update(done - bar.pos)

    try:
        yield update
    finally:
        if "bar" in state:
            state["bar"].__exit__(None, None, None)


def do_check(
    root: Path,
    settings: Settings,
    as_of: dt.date,
    period: Period | None = None,
    cache: SourceCache | None = None,
) -> CheckResult:
    """The check; with ``cache``, only the files changed since its last load are read
    (the caller saves it: ``check`` and ``build`` only, and only once done, so that a
    refused command leaves the repository as it was)."""
    from .i18n import text

    with progress_bar(text("ui.progress", settings.lang)) as progress:
        try:
            return run_check(root, settings, as_of, period=period, progress=progress, cache=cache)
        except CatalogueError as exc:
            raise catalogue_failure(exc, settings.lang, root) from None


def _lang(lang: str | None) -> str:
    """The language of a message said before the settings were read (--lang, else
    ``itsms serve --lang``'s, else Chinese)."""
    return lang or os.environ.get("ITSMS_LANG") or "zh"


def interrupted(lang: str | None) -> NoReturn:
    """Ctrl+C: said in a word, and the exit says so (not 1: findings that fail)."""
    with suppress(OSError, ValueError):
        click.echo(text("ui.interrupted", _lang(lang)), err=True)
    sys.exit(INTERRUPTED)


def shown(value: str) -> str:
    """A path or name as a terminal may show it: control and other unprintable
    characters written as escapes (\\n, \\x1b), never sent to the terminal."""
    if value.isprintable():
        return value
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in value)


def closed_pipe() -> NoReturn:
    """Whoever read the output stopped reading (``itsms check | true``): the rest is
    not said (nor a complaint about it), and the exit says so. Whatever the command had
    written to files by then is written whole."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        with suppress(OSError, ValueError):
            os.dup2(devnull, stream.fileno())
    sys.exit(CLOSED_PIPE)


def guarded(func: F) -> F:
    """No Python traceback reaches a user: an unexpected error is exit 2 with one line."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            interrupted(kwargs.get("lang"))
        except BrokenPipeError:
            closed_pipe()
        except OSError as exc:  # the system refused (a full disk, an immutable folder...)
            where = shown(str(exc.filename)) if exc.filename is not None else "-"
            error = exc.strerror or type(exc).__name__
            message = text("ui.os_error", _lang(kwargs.get("lang")), path=where, error=error)
            raise Failure(message) from None
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            if os.environ.get("ITSMS_DEBUG"):
                raise
            raise Failure(
                f"internal error: {type(exc).__name__}: {exc} (set ITSMS_DEBUG=1 to see where)"
            ) from None

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="itsms")
def main() -> None:
    """itsms: check, publish and trace an ISO/IEC 20000-1 document set."""


@main.command()
@common
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(report.RENDERERS)),
    default="text",
    show_default=True,
    help="text; json; junit, sarif or github (workflow commands) for CI",
)
@click.option("--strict", is_flag=True, help="fail on warnings too")
@click.option(
    "--period",
    callback=_parse_period,
    metavar="FROM..TO",
    help="audit period (default: the settings', else 12 months up to --as-of)",
)
@guarded
def check(
    root: Path, as_of: dt.date, lang: str | None, fmt: str, strict: bool, period: Period | None
) -> None:
    """Run every rule and report the findings."""
    settings = load_settings(root, lang)
    cache = SourceCache.on_disk(root)
    result = do_check(root, settings, as_of, period, cache)
    if cache is not None:
        cache.save()
    click.echo(report.render(fmt, result, settings.lang, strict), nl=False)
    sys.exit(1 if result.failed(strict) else 0)


@main.command()
@common
@click.option(
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="where to publish (default: mkdocs.yml's site_dir, site/)",
)
@click.option("--offline", is_flag=True, help="a copy that opens from disk (file://), search too")
@click.option("--preview", is_flag=True, help="also show drafts and documents under review")
@click.option("--no-cache", "no_cache", is_flag=True, help="neither read nor write .cache/itsms")
@guarded
def build(
    root: Path,
    as_of: dt.date,
    lang: str | None,
    site_dir: Path | None,
    offline: bool,
    preview: bool,
    no_cache: bool,
) -> None:
    """Check, then publish the portal (the old site stays if anything fails)."""
    with _environ(NO_CACHE_ENV, "1") if no_cache else nullcontext():
        _build(root, as_of, lang, site_dir, offline, preview)


@contextmanager
def _environ(name: str, value: str) -> Iterator[None]:
    """An environment variable set for one command (CliRunner runs in this process)."""
    before = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before


def _build(
    root: Path,
    as_of: dt.date,
    lang: str | None,
    site_dir: Path | None,
    offline: bool,
    preview: bool,
) -> None:
    from . import forked
    from .cachedir import cache_dir
    from .plugin import integrity_errors
    from .portal import PortalOptions
    from .publish import PublishError, SiteDirError, build_site, stage
    from .sourcecache import scan

    settings = load_settings(root, lang)
    # the collector paused until the check is made: what the cache and the check make
    # lives until the process ends (resumed in between, it walked all of it once more)
    collecting = gc.isenabled()
    # the last site linked into the new one's folder while the check runs (a quick rebuild)
    staged = stage(root, site_dir, offline)
    try:  # (from here on, an interrupted build removes the folder it staged)
        gc.disable()
        # the repository's files scanned by a child while the cache is read
        scanning = forked.start(lambda: scan(root)) if cache_dir(root, "sources") else None
        cache = SourceCache.on_disk(root)
        if cache is not None:
            cache.scanning = scanning
        elif scanning is not None:
            scanning.stop()
        result = do_check(root, settings, as_of, cache=cache)
        # the check's objects live until the process ends: the collector's passes while
        # the portal is built would walk them all again (seconds at 100,000 records)
        gc.freeze()
        if collecting:
            gc.enable()
        errors = integrity_errors(result)
        if errors:
            # the errors that stop it, then the summary of every finding (as ``check`` says)
            click.echo(report.render_text(result, settings.lang, errors), nl=False, err=True)
            click.echo(text("ui.build_stopped", settings.lang), err=True)
            sys.exit(1)
        options = PortalOptions(build_date=as_of, preview=preview, offline=offline)
        try:
            published = build_site(result, options, site_dir, cache=cache, staged=staged)
        except SiteDirError as exc:
            params = {k: shown(v) if isinstance(v, str) else v for k, v in exc.params.items()}
            click.echo(f"itsms: {text(exc.key, settings.lang, **params)}", err=True)
            sys.exit(2)
        except PublishError as exc:
            click.echo(f"itsms: {shown(str(exc))}", err=True)
            click.echo(text("ui.build_stopped", settings.lang), err=True)
            sys.exit(1)
    finally:
        if collecting:
            gc.enable()
        if staged is not None:
            staged.close()
    if cache is not None:  # kept once the build is done: a refused one leaves no trace
        cache.save()
    click.echo(report.summary_line(result, settings.lang))
    entry = published.site_dir / "index.html"
    click.echo(
        text(
            "ui.built",
            settings.lang,
            pages=published.pages,
            files=published.files,
            path=shown(str(entry)),
        )
    )
    if published.remade:
        click.echo(text("ui.built_quick", settings.lang, remade=len(published.remade)))
    elif published.remade is not None:
        click.echo(text("ui.built_same", settings.lang))


#: MkDocs' words on every rebuild that tell a person nothing (where it serves, what it
#: watches, that it rebuilt and the check's findings stay)
_SERVE_NOISE = ("Building documentation...", "Cleaning site directory")


def _serve_filter(record: Any) -> bool:
    return not str(record.getMessage()).startswith(_SERVE_NOISE)


@main.command()
@common
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, metavar="IP:PORT")
@click.option("--preview", is_flag=True, help="also show drafts and documents under review")
@guarded
def serve(root: Path, as_of: dt.date, lang: str | None, dev_addr: str, preview: bool) -> None:
    """Live preview: rebuild and reload the browser when a document changes."""
    import logging

    from .liveserve import ServeError
    from .liveserve import serve as live_serve

    settings = load_settings(root, lang)  # fail early (exit 2) on unusable settings
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    handler.addFilter(_serve_filter)
    logging.getLogger("mkdocs").addHandler(handler)
    logging.getLogger("mkdocs").setLevel(logging.INFO)

    os.environ["ITSMS_AS_OF"] = as_of.isoformat()
    os.environ["ITSMS_PREVIEW"] = "1" if preview else "0"
    if lang is not None:  # the portal's language too, as ``itsms build --lang``
        os.environ["ITSMS_LANG"] = lang
    try:
        live_serve(root, root / CONFIG_FILE, dev_addr, settings.lang, lambda: serve_overrides(root))
    except ServeError as exc:
        raise Failure(str(exc)) from None


def serve_overrides(root: Path) -> dict[str, Any]:
    """generator.mkconfig's overrides, fit to be handed to every rebuild: MkDocs' serve
    passes the same ones to each load_config, which empties the items of a plugin list
    (the second rebuild found no plugin names); a mapping of the plugins it only reads."""
    from .mkconfig import overrides

    extra = overrides(root)
    plugins = extra.get("plugins")
    if isinstance(plugins, list):
        names = [next(iter(p)) if isinstance(p, dict) else p for p in plugins]
        if len(set(names)) == len(names):  # two instances of one plugin stay a list
            extra["plugins"] = {
                name: (p[name] if isinstance(p, dict) else {})  # a bare name: no options
                for name, p in zip(names, plugins, strict=True)
            }
    return extra
