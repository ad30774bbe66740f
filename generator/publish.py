"""Publish: build the portal with MkDocs into a temporary folder beside the site
and move it into place only when the build succeeded, so that a failed build
leaves the previously published site as it was."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .check import CheckResult
from .portal import PortalOptions
from .settings import CONFIG_FILE


class PublishError(Exception):
    """The portal could not be built; the published site is untouched."""


@dataclass
class Published:
    site_dir: Path
    pages: int
    files: int


def _config(root: Path, site_dir: Path, offline: bool) -> Any:
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    config_file = root / CONFIG_FILE
    if not config_file.is_file():
        raise PublishError(f"{config_file} not found: the portal's settings live there")
    try:
        config = load_config(str(config_file), site_dir=str(site_dir))
    except ConfigurationError as exc:
        raise PublishError(f"{config_file}: {exc}") from None
    if "itsms" not in config.plugins:
        from .plugin import ItsmsPlugin

        plugin = ItsmsPlugin()
        plugin.load_config({})
        config.plugins["itsms"] = plugin
    if offline and "material/offline" not in config.plugins and "offline" not in config.plugins:
        from material.plugins.offline.plugin import OfflinePlugin

        offline_plugin = OfflinePlugin()
        offline_plugin.load_config({"enabled": True})
        config.plugins["material/offline"] = offline_plugin
    return config


def _swap(new: Path, target: Path) -> None:
    """Put ``new`` where ``target`` is: two renames, the old site removed after."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        os.rename(target, old / "site")
    try:
        os.rename(new, target)
    except OSError:
        if old is not None:
            os.rename(old / "site", target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def build_site(
    result: CheckResult, options: PortalOptions, site_dir: Path | None = None, quiet: bool = True
) -> Published:
    """Build the portal for a checked repository into ``site_dir`` (default: the settings')."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    from .plugin import ItsmsPlugin, prepare

    root = result.root.resolve()
    probe = _config(root, root / "site", options.offline)
    target = (site_dir or Path(probe.site_dir)).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        config = _config(root, work, options.offline)
        plugin = config.plugins["itsms"]
        assert isinstance(plugin, ItsmsPlugin)
        prepare(plugin, result, options)
        level = logging.getLogger("mkdocs").level
        if quiet:
            logging.getLogger("mkdocs").setLevel(logging.WARNING)
            logging.getLogger("jieba").setLevel(logging.WARNING)
        try:
            build(config)
        except MkDocsException as exc:
            raise PublishError(str(exc)) from None
        finally:
            logging.getLogger("mkdocs").setLevel(level)
        portal = plugin.portal
        pages = len(portal.pages) if portal else 0
        files = sum(1 for _ in work.rglob("*") if _.is_file())
        _swap(work, target)
    except BaseException:
        with contextlib.suppress(OSError):
            shutil.rmtree(work)
        raise
    return Published(target, pages, files)
