"""Settings: the itsms plugin's options in mkdocs.yml, with a default for each.

The CLI reads them from ``<root>/mkdocs.yml``; the MkDocs plugin gets the same
mapping from MkDocs. Both validate it against settings.schema.json.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import i18n, schema, yamlread
from .findings import Severity
from .i18n import Msg
from .standards import DEFAULT_STANDARD

CONFIG_FILE = "mkdocs.yml"
DEFAULT_ID_PATTERN = r"GZDS-ITSMS-(?:QM|QP|WI|PL|PO|QR)-[0-9]{2,}"
DEFAULT_ID_PREFIXES = {
    "manual": "GZDS-ITSMS-QM-",
    "procedure": "GZDS-ITSMS-QP-",
    "work-instruction": "GZDS-ITSMS-WI-",
    "plan": "GZDS-ITSMS-PL-",
    "policy": "GZDS-ITSMS-PO-",
    "form": "GZDS-ITSMS-QR-",
}


class SettingsError(Exception):
    """Settings that cannot be used: the command cannot run (exit 2). What is wrong is
    catalogue messages (``problems``), worded by ``render`` in the language asked for
    (``str()``: the settings' own ``lang`` when it could be read, else Chinese)."""

    def __init__(self, problems: list[Msg], origin: str = "", lang: str | None = None) -> None:
        self.problems = problems
        self.origin = origin
        self.lang = lang
        super().__init__(self.render())

    def render(self, lang: str | None = None) -> str:
        lang = lang or self.lang or "zh"
        sep = "；" if lang == "zh" else "; "
        listed = sep.join(i18n.text(p.key, lang, **p.params) for p in self.problems)
        if not self.origin:
            return listed
        return i18n.text("settings.invalid", lang, origin=self.origin, problems=listed)


@dataclass(frozen=True)
class Exclusion:
    clause: str
    justification: str


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


def parse_period(text: str) -> Period:
    match = re.fullmatch(r"\s*(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})\s*", text)
    if not match:
        raise SettingsError([Msg("settings.period_form", {"value": text})])
    try:
        start, end = (dt.date.fromisoformat(g) for g in match.groups())
    except ValueError:
        raise SettingsError([Msg("settings.period_date", {"value": text})]) from None
    if end < start:
        raise SettingsError([Msg("settings.period_order", {"value": text})])
    return Period(start, end)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months; past the calendar's ends (year 1, year
    9999) the first or last day there is: a value the schema reports never overflows."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    if year > dt.MAXYEAR:
        return dt.date.max
    if year < dt.MINYEAR:
        return dt.date.min
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def default_period(as_of: dt.date) -> Period:
    """The 12 months up to and including the as-of date."""
    return Period(add_months(as_of, -12) + dt.timedelta(days=1), as_of)


@dataclass(frozen=True)
class Settings:
    standard: str = DEFAULT_STANDARD
    standards_dir: str | None = None
    transition_to: str | None = None
    transition_from: str | None = None
    audit_period: Period | None = None
    exclusions: tuple[Exclusion, ...] = ()
    review_warning_days: int = 30
    id_pattern: str = DEFAULT_ID_PATTERN
    id_prefixes: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_ID_PREFIXES))
    severity: dict[str, Severity] = field(default_factory=dict)
    lang: str = "zh"
    enabled: bool = True
    search_index_mb: float = 10
    raw_html: str = "sanitize"  # or "allow": a department that trusts its authors' HTML

    def period(self, as_of: dt.date) -> Period:
        return self.audit_period or default_period(as_of)

    @property
    def id_regex(self) -> re.Pattern[str]:
        return re.compile(self.id_pattern)


def from_options(options: Any, origin: str = CONFIG_FILE) -> Settings:
    """Validate a mapping of options and build Settings (raises SettingsError)."""
    if options is None:
        options = {}
    lang = options.get("lang") if isinstance(options, dict) else None
    lang = lang if lang in ("zh", "en") else None
    problems = schema.settings_problems(options)
    if problems:
        raise SettingsError(problems, origin, lang)
    pattern = options.get("id_pattern", DEFAULT_ID_PATTERN)
    try:
        re.compile(pattern)
    except re.error as exc:
        where = {"value": pattern, "pos": (exc.pos or 0) + 1, "error": exc.msg}
        raise SettingsError([Msg("settings.id_pattern", where)], origin, lang) from None
    unknown_rules = _unknown_rules(options.get("severity") or {})
    if unknown_rules:
        raise SettingsError(unknown_rules, origin, lang)
    if options.get("transition_to") and options.get("transition_from"):
        raise SettingsError([Msg("settings.transition_both")], origin, lang)
    period = options.get("audit_period")
    try:
        audit_period = parse_period(period) if period else None
    except SettingsError as exc:
        raise SettingsError(exc.problems, origin, lang) from None
    prefixes = dict(DEFAULT_ID_PREFIXES)
    prefixes.update(options.get("id_prefixes") or {})
    return Settings(
        standard=options.get("standard", DEFAULT_STANDARD),
        standards_dir=options.get("standards_dir"),
        transition_to=options.get("transition_to"),
        transition_from=options.get("transition_from"),
        audit_period=audit_period,
        exclusions=tuple(
            Exclusion(str(e["clause"]), str(e["justification"]))
            for e in options.get("exclusions") or ()
        ),
        review_warning_days=options.get("review_warning_days", 30),
        id_pattern=options.get("id_pattern", DEFAULT_ID_PATTERN),
        id_prefixes=prefixes,
        severity={k: Severity(v) for k, v in (options.get("severity") or {}).items()},
        lang=options.get("lang", "zh"),
        enabled=options.get("enabled", True),
        search_index_mb=options.get("search_index_mb", 10),
        raw_html=options.get("raw_html", "sanitize"),
    )


def _unknown_rules(severity: dict[str, Any]) -> list[Msg]:
    """A rule code misspelt under ``severity`` would silently change nothing."""
    import difflib

    from .rules import RULES

    problems = []
    for code in sorted(set(severity) - set(RULES)):
        near = difflib.get_close_matches(code, list(RULES), n=1)
        params = {"value": code, "near": near[0] if near else ""}
        problems.append(Msg("settings.unknown_rule" + (".near" if near else ""), params))
    return problems


def plugin_options(config: Any) -> Any:
    """The itsms entry of mkdocs.yml's ``plugins`` (a list or a mapping)."""
    if not isinstance(config, dict):
        return None
    plugins = config.get("plugins")
    if isinstance(plugins, dict):
        return plugins.get("itsms") if "itsms" in plugins else None
    if isinstance(plugins, list):
        for entry in plugins:
            if entry == "itsms":
                return {}
            if isinstance(entry, dict) and "itsms" in entry:
                return entry["itsms"] or {}
    return None


def read_settings(root: Path) -> Settings:
    """Settings from ``root/mkdocs.yml``; defaults when there is none."""
    path = root / CONFIG_FILE
    if not path.is_file():
        return Settings()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        problem = Msg("settings.unreadable", {"path": str(path), "error": str(exc)})
        raise SettingsError([problem]) from None
    try:
        config = yamlread.parse_config(text)
    except yamlread.YamlError as exc:
        where = {"path": str(path), "line": exc.line, "column": exc.column, "problem": exc.problem}
        raise SettingsError([Msg("settings.yaml", where)]) from None
    return from_options(plugin_options(config), str(path))
