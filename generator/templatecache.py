"""The theme's page template, memoised: a page whose inputs did not change gets the
HTML it got last time without Jinja rendering Material's templates again.

The key holds everything the template reads: the page (url, title, content, table of
contents, meta, edit and canonical urls), the whole navigation (titles and urls: the
sidebar, breadcrumbs, previous and next), every page's url, the MkDocs settings (theme,
palette, features, extra, plugins' options; not where the site is written), the theme
folders' own templates (a ``custom_dir``), the other context values plugins set, and
the packages' versions. Outputs are large (every page carries the navigation), so they
are kept on disk only, never in memory.

The same key hands a page from a worker process (generator.workers) to the build: the
worker renders the page's template and keeps the output (in the cache, or without one
in a hand-off folder the build reads it from once); the build, reaching that page, takes
it there instead of rendering it again. An output that is not there is rendered.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .pagecache import PageWork, digest, stable, toc_tokens

#: settings that say where files go, not what a page holds
_NOT_READ = frozenset({"site_dir", "plugins", "theme", "config_file_path"})
#: context values covered by the page and settings keys (or never read by a page)
_COVERED = frozenset({"nav", "pages", "config", "page", "build_date_utc"})


class TemplateMemo:
    """Installed on the Jinja environment of one build (on_env)."""

    def __init__(
        self, work: PageWork, config: Any, files: Any, wait: Callable[[Any], None] | None = None
    ) -> None:
        self.work = work
        self.config = config
        self.files = files
        self.context = ""
        self.nav = ""
        #: before the build takes a page's output: the worker rendering it is waited for
        self.wait = wait
        #: without a cache folder: where workers leave their outputs for the build
        self.handoff: Path | None = None
        #: True in a worker: it leaves its outputs in ``handoff``
        self.hands_off = False

    def install(self, env: Any) -> None:
        original = env.get_template
        memo = self

        def get_template(name: Any, parent: Any = None, globals: Any = None) -> Any:
            template = original(name, parent, globals)
            if parent is None and globals is None and isinstance(name, str):
                return _Template(template, name, memo)  # MkDocs' own call for a page
            return template  # Jinja's extends / include / import: as they are

        setattr(env, "get_template", get_template)  # noqa: B010 - this build's env only

    def key(self, name: str, context: Any) -> str | None:
        page = context.get("page")
        if page is None or getattr(page, "file", None) is None:
            return None
        if not self.context:
            self.context = self._settings()
            self.nav = digest(_nav(context.get("nav")))
        others = {k: v for k, v in context.items() if k not in _COVERED}
        return digest(
            "template",
            self.context,
            self.nav,
            name,
            stable(others),
            page.file.src_uri,
            page.url,
            page.title,
            page.content,
            toc_tokens(page.toc),
            stable(page.meta),
            page.canonical_url,
            page.edit_url,
            page.is_homepage,
            getattr(page, "update_date", None),  # the build day, which a template may show
        )

    def _settings(self) -> str:
        config = self.config
        values = {k: stable(v) for k, v in config.items() if k not in _NOT_READ}
        theme = config.theme
        plugins = {name: stable(dict(p.config)) for name, p in config.plugins.items()}
        return digest(
            self.work.versions,
            self.work.render_context,
            values,
            getattr(theme, "name", None),
            stable(dict(theme.items())),
            plugins,
            _own_templates(theme),
        )

    def active(self) -> bool:
        """Whether outputs go anywhere (a cache folder, or a hand-off between processes)."""
        return self.work.folder is not None or self.handoff is not None

    def kept(self, key: str, page: Any) -> str | None:
        """The output kept for ``key`` (the worker doing ``page`` is waited for first)."""
        if self.wait is not None:
            self.wait(page)
        if self.work.folder is not None:
            kept = self.work.get(key, keep=False)
            return kept if isinstance(kept, str) else None
        if self.handoff is None or self.hands_off:
            return None
        path = self.handoff / f"{key}.html"
        try:
            text = path.read_bytes().decode("utf-8", errors="surrogatepass")
        except (OSError, UnicodeDecodeError):
            return None
        with contextlib.suppress(OSError):
            path.unlink()  # read once: the folder holds only what is still to come
        return text

    def keep(self, key: str, output: str) -> None:
        if self.work.folder is not None:
            self.work.put(key, output, keep=False)
        elif self.handoff is not None and self.hands_off:
            path = self.handoff / f"{key}.html"
            tmp = path.with_name(f".{path.name}.{os.getpid()}")
            with contextlib.suppress(OSError):
                tmp.write_bytes(output.encode("utf-8", errors="surrogatepass"))
                os.replace(tmp, path)


class _Template:
    """A Jinja template whose ``render`` goes through the memo (all else is the template's)."""

    def __init__(self, template: Any, name: str, memo: TemplateMemo) -> None:
        self._template = template
        self._name = name
        self._memo = memo

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._template, attr)

    def render(self, *args: Any, **kwargs: Any) -> Any:
        context = dict(*args, **kwargs)
        out = self._render(context, args, kwargs)
        page: Any = context.get("page")
        if self._memo.work.once and getattr(page, "file", None) is not None:
            # a one-off build: nothing reads the page's HTML once its template has (it
            # was a tenth of the build's memory at L, every page's kept to the end)
            page.content = None
        return out

    def _render(self, context: dict[str, Any], args: Any, kwargs: Any) -> Any:
        memo = self._memo
        if not memo.active():
            return self._template.render(*args, **kwargs)
        key = memo.key(self._name, context)
        if key is None:
            return self._template.render(*args, **kwargs)
        kept = memo.kept(key, context["page"])
        if kept is not None:
            return kept
        out = self._template.render(*args, **kwargs)
        memo.keep(key, out)
        return out


def _nav(nav: Any) -> Any:
    def item(entry: Any) -> Any:
        children = getattr(entry, "children", None)
        return [
            type(entry).__name__,
            entry.title,
            getattr(entry, "url", None),
            [item(c) for c in children] if children else None,
        ]

    return [item(e) for e in getattr(nav, "items", None) or []]


def _own_templates(theme: Any) -> str:
    """The theme folders that are not an installed package (a ``custom_dir``), by content."""
    sha = hashlib.sha256()
    for folder in getattr(theme, "dirs", []):
        base = Path(folder)
        if "site-packages" in base.parts or "dist-packages" in base.parts:
            continue  # an installed theme: its version is in the key
        for path in sorted(p for p in base.rglob("*") if p.is_file()):
            sha.update(path.relative_to(base).as_posix().encode())
            try:
                sha.update(path.read_bytes())
            except OSError:
                sha.update(b"?")
    return sha.hexdigest()


class SignedBytecode:
    """Jinja's compiled templates kept between builds (Material's 36 templates were
    parsed and compiled again on every build, a fifth of a second), each file signed
    like every cache file: bytecode another hand wrote is never loaded. Jinja checks
    each against its template's source and its own and Python's versions."""

    def __init__(self, folder: Path) -> None:
        from jinja2.bccache import BytecodeCache

        outer = self

        class Cache(BytecodeCache):
            def load_bytecode(self, bucket: Any) -> None:
                outer.load(bucket)

            def dump_bytecode(self, bucket: Any) -> None:
                outer.dump(bucket)

        self.folder = folder
        self.cache = Cache()

    def _file(self, bucket: Any) -> Path:
        return self.folder / f"{hashlib.sha256(str(bucket.key).encode()).hexdigest()[:32]}.bc"

    def load(self, bucket: Any) -> None:
        from .cachedir import read_signed

        try:
            data = read_signed(self._file(bucket))
        except OSError:
            return
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump(self, bucket: Any) -> None:
        from .cachedir import write_signed

        with contextlib.suppress(OSError):
            write_signed(self._file(bucket), bucket.bytecode_to_string())


def keep_bytecode(env: Any, root: Path) -> None:
    """Give the theme's Jinja environment the signed bytecode cache under ``root``."""
    from .cachedir import cache_dir

    folder = cache_dir(root, "templates")
    if folder is not None and getattr(env, "bytecode_cache", None) is None:
        env.bytecode_cache = SignedBytecode(folder).cache
