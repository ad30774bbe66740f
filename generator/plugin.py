"""The ``itsms`` MkDocs plugin: a thin adapter. Its options are the settings;
on each build it runs the same check as ``itsms check`` and reports through
MkDocs' log."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from . import report
from .check import run_check
from .findings import Severity
from .settings import DEFAULT_ID_PATTERN, Settings, SettingsError, from_options
from .standards import DEFAULT_STANDARD, CatalogueError

log = logging.getLogger("mkdocs.plugins.itsms")


class ItsmsConfig(Config):  # type: ignore[no-untyped-call]
    standard = c.Type(str, default=DEFAULT_STANDARD)
    standards_dir = c.Optional(c.Type(str))
    audit_period = c.Optional(c.Type(str))
    exclusions = c.Type(list, default=[])
    review_warning_days = c.Type(int, default=30)
    id_pattern = c.Type(str, default=DEFAULT_ID_PATTERN)
    id_prefixes = c.Type(dict, default={})
    severity = c.Type(dict, default={})
    lang = c.Choice(("zh", "en"), default="zh")
    enabled = c.Type(bool, default=True)


class ItsmsPlugin(BasePlugin[ItsmsConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.settings: Settings | None = None
        self.root: Path | None = None

    def on_config(self, config: Any) -> Any:
        options = {k: v for k, v in self.config.items() if v is not None}
        try:
            self.settings = from_options(options)
        except SettingsError as exc:
            raise PluginError(str(exc)) from None
        self.root = Path(config["config_file_path"] or ".").resolve().parent
        return config

    def on_pre_build(self, config: Any) -> None:
        if self.settings is None or self.root is None or not self.settings.enabled:
            return
        try:
            result = run_check(self.root, self.settings, dt.date.today())
        except CatalogueError as exc:
            raise PluginError(str(exc)) from None
        for finding in result.findings:
            where = f"{finding.file or '-'}:{finding.line or 0}"
            line = f"{where} {finding.rule}: {report.message(finding, self.settings.lang)}"
            if finding.severity is Severity.ERROR:
                log.error(line)
            else:
                log.info(line)
        log.info(report.summary_line(result, self.settings.lang))
