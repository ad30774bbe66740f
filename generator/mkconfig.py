"""MkDocs settings the portal needs, filled in where mkdocs.yml leaves them out.

``site_name`` and ``plugins: [search, itsms]`` are enough: the documents live in
``content/``, the theme is Material in Chinese without web fonts, and search
segments Chinese. Whatever mkdocs.yml does set wins. MkDocs checks ``docs_dir``
before any plugin runs, so these are given to MkDocs when it loads the file
(``itsms build`` / ``serve``); the plugin fills in what it still can for a plain
``mkdocs build``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from . import yamlread
from .settings import CONFIG_FILE

DOCS_DIR = "content"
THEME = {"name": "material", "language": "zh", "font": False}
SEARCH = {"lang": "zh"}


def _user_config(root: Path) -> tuple[dict[str, Any], bool]:
    """mkdocs.yml as written, and whether it uses YAML tags (!ENV, !relative …)."""
    try:
        text = (root / CONFIG_FILE).read_text(encoding="utf-8-sig")
        data = yamlread.parse_config(text)
    except (OSError, UnicodeDecodeError, yamlread.YamlError):
        return {}, False  # MkDocs itself reports what it cannot read
    tagged = re.search(r"(^|[\s:,\[{-])!", text) is not None
    return (dict(data) if isinstance(data, dict) else {}), tagged


def _theme(theme: Any) -> Any:
    if theme is None:
        return dict(THEME)
    if theme == "material":
        return dict(THEME)
    if isinstance(theme, dict) and theme.get("name") == "material":
        return {**THEME, **theme}
    return None  # another theme, or custom_dir only: the user's choice stands


def _plugins(plugins: Any) -> Any:
    """``search`` with ``lang: zh`` unless a language is set; None when nothing changes."""
    if plugins is None:
        return None  # MkDocs' default [search]; the language is set in the plugin
    entries = list(plugins.items()) if isinstance(plugins, dict) else None
    if entries is None and isinstance(plugins, list):
        entries = []
        for item in plugins:
            if isinstance(item, str):
                entries.append((item, None))
            elif isinstance(item, dict) and len(item) == 1:
                entries.extend(item.items())
            else:
                return None
    if entries is None:
        return None
    changed = False
    out: list[Any] = []
    for name, options in entries:
        if name in ("search", "material/search") and not (
            isinstance(options, dict) and "lang" in options
        ):
            options = {**(options if isinstance(options, dict) else {}), **SEARCH}
            changed = True
        out.append({name: options} if options is not None else name)
    return out if changed else None


def overrides(root: Path) -> dict[str, Any]:
    """What to hand MkDocs' load_config on top of mkdocs.yml: only what it leaves out."""
    user, tagged = _user_config(root)
    if "INHERIT" in user:
        return {}  # an inherited configuration: MkDocs merges it; fill in nothing
    out: dict[str, Any] = {}
    if "docs_dir" not in user:
        out["docs_dir"] = DOCS_DIR
    if tagged:  # values MkDocs resolves itself (!ENV …) are never rewritten: only add
        if "theme" not in user:
            out["theme"] = dict(THEME)
        return out
    theme = _theme(user.get("theme"))
    if theme is not None and theme != user.get("theme"):
        out["theme"] = theme
    plugins = _plugins(user.get("plugins"))
    if plugins is not None:
        out["plugins"] = plugins
    return out


def user_set(root: Path, key: str) -> bool:
    """Whether mkdocs.yml sets ``key`` itself."""
    return key in _user_config(root)[0]
