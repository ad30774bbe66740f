"""Clause catalogues: data files (one standard each) shipped in the package or
placed beside the content. A clause's parent is its id less the last part."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from .. import yamlread
from ..i18n import Msg

DEFAULT_STANDARD = "iso20000-1:2011"
_PACKAGE_DIR = Path(__file__).parent


class CatalogueError(Exception):
    """A catalogue file that is missing or malformed (a settings problem: exit 2).
    ``problem``: the catalogue message for it, when it is the settings' (an unknown
    ``standard``)."""

    def __init__(self, message: str, problem: Msg | None = None) -> None:
        super().__init__(message)
        self.problem = problem


@dataclass(frozen=True)
class Clause:
    id: str
    en: str
    zh: str

    def title(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    @property
    def parent_id(self) -> str | None:
        return self.id.rsplit(".", 1)[0] if "." in self.id else None

    @property
    def depth(self) -> int:
        return self.id.count(".")


@dataclass(frozen=True)
class Standard:
    id: str
    title_en: str
    title_zh: str
    clauses: tuple[Clause, ...]
    by_id: dict[str, Clause] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {c.id: c for c in self.clauses})

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en

    @cached_property
    def children(self) -> dict[str | None, list[Clause]]:
        out: dict[str | None, list[Clause]] = {}
        for clause in self.clauses:
            parent = clause.parent_id
            while parent is not None and parent not in self.by_id:
                parent = parent.rsplit(".", 1)[0] if "." in parent else None
            out.setdefault(parent, []).append(clause)
        return out

    @cached_property
    def leaves(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if c.id not in self.children)

    @cached_property
    def _leaf_sets(self) -> dict[str, frozenset[str]]:
        result: dict[str, frozenset[str]] = {}
        for clause in reversed(self.clauses):  # children come after parents
            kids = self.children.get(clause.id)
            if not kids:
                result[clause.id] = frozenset({clause.id})
            else:
                acc: set[str] = set()
                for kid in kids:
                    acc |= result.get(kid.id, frozenset({kid.id}))
                result[clause.id] = frozenset(acc)
        return result

    def leaves_under(self, clause_id: str) -> frozenset[str]:
        """The leaf clauses that citing ``clause_id`` covers (itself if a leaf)."""
        return self._leaf_sets.get(clause_id, frozenset())

    def ancestors(self, clause_id: str) -> list[Clause]:
        out: list[Clause] = []
        parent = self.by_id[clause_id].parent_id if clause_id in self.by_id else None
        while parent is not None:
            if parent in self.by_id:
                out.append(self.by_id[parent])
            parent = parent.rsplit(".", 1)[0] if "." in parent else None
        return out


def _clause_key(clause_id: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(p), "") if p.isdigit() else (0, p) for p in clause_id.split("."))


def parse_catalogue(data: Any, origin: str) -> Standard:
    if not isinstance(data, dict):
        raise CatalogueError(f"{origin}: a catalogue is a mapping with id, title and clauses")
    from ..schema import validate_plain

    errors = validate_plain("catalogue", data)
    if errors:
        raise CatalogueError(f"{origin}: " + "; ".join(errors[:5]))

    sid = data.get("id")
    title = data.get("title")
    raw = data.get("clauses")
    if not isinstance(sid, str) or not isinstance(raw, list) or not raw:
        raise CatalogueError(f"{origin}: needs a string `id` and a non-empty `clauses` list")
    if isinstance(title, str):
        title = {"en": title, "zh": title}
    if not isinstance(title, dict):
        title = {"en": sid, "zh": sid}
    clauses: list[Clause] = []
    seen: set[str] = set()
    for n, item in enumerate(raw, 1):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str | int | float):
            raise CatalogueError(f"{origin}: clause #{n} needs an `id`")
        cid = str(item["id"])
        if cid in seen:
            raise CatalogueError(f"{origin}: clause {cid} is listed twice")
        seen.add(cid)
        en = str(item.get("en") or item.get("title") or cid)
        zh = str(item.get("zh") or en)
        clauses.append(Clause(cid, en, zh))
    clauses.sort(key=lambda c: _clause_key(c.id))
    return Standard(sid, str(title.get("en", sid)), str(title.get("zh", sid)), tuple(clauses))


def catalogue_dirs(root: Path, standards_dir: str | None) -> list[Path]:
    """The user's catalogue folder (the settings' standards_dir), if any: a folder inside
    the repository (CatalogueError otherwise)."""
    if not standards_dir:
        return []
    folder = root / standards_dir
    if not folder.resolve().is_relative_to(root.resolve()):
        raise CatalogueError(f"standards_dir {standards_dir!r} lies outside the repository {root}")
    return [folder]


def catalogue_files(extra_dirs: Iterable[Path]) -> list[Path]:
    """The package's catalogue files, then those in ``extra_dirs`` (what is read)."""
    files = sorted(_PACKAGE_DIR.glob("*.yml"))
    for folder in extra_dirs:
        if folder.is_dir():
            inside = folder.resolve()
            found = sorted(folder.glob("*.yml")) + sorted(folder.glob("*.yaml"))
            files.extend(f for f in found if f.resolve().is_relative_to(inside))
    return files


def available(extra_dirs: Iterable[Path] = ()) -> dict[str, Path]:
    """Standard id -> catalogue file, for the package's and the user's catalogues."""
    out: dict[str, Path] = {}
    for path in catalogue_files(extra_dirs):
        try:
            data = yamlread.parse_config(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yamlread.YamlError):
            continue
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            out.setdefault(data["id"], path)
    return out


def load_standard(standard_id: str, extra_dirs: Iterable[Path] = ()) -> Standard:
    dirs = list(extra_dirs)
    files = available(dirs)
    path = files.get(standard_id)
    if path is None:
        known = ", ".join(sorted(files)) or "none"
        raise CatalogueError(
            f"unknown standard {standard_id!r} (known: {known})",
            Msg("settings.unknown_standard", {"value": standard_id, "known": known}),
        )
    try:
        data = yamlread.parse_config(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yamlread.YamlError) as exc:
        raise CatalogueError(f"{path}: {exc}") from None
    return parse_catalogue(data, str(path))


@dataclass(frozen=True)
class Crosswalk:
    """Where each clause of one standard went in another, and what is new there."""

    source: str
    target: str
    map: dict[str, tuple[str, ...]]
    new: dict[str, tuple[str, str]]  # target clause -> (en, zh) note
    notes: dict[str, tuple[str, str]] = field(default_factory=dict)  # source clause -> (en, zh)

    def predecessors(self, clause_id: str) -> list[str]:
        return [src for src, targets in self.map.items() if clause_id in targets]

    def note(self, source_clause: str, lang: str) -> str:
        """The clause text the mapping of ``source_clause`` rests on ('' when none)."""
        en, zh = self.notes.get(source_clause, ("", ""))
        return (zh or en) if lang == "zh" else (en or zh)


def _text(value: Any) -> tuple[str, str]:
    """A note given as one text or as {en, zh}: (en, zh)."""
    if isinstance(value, dict):
        en, zh = str(value.get("en") or ""), str(value.get("zh") or "")
        return en or zh, zh or en
    return str(value or ""), str(value or "")


def parse_crosswalk(data: Any, origin: str) -> Crosswalk:
    """A crosswalk file's mapping; each `map` entry is a list or {to, note}."""
    from ..schema import validate_plain

    errors = validate_plain("crosswalk", data)
    if errors:
        raise CatalogueError(f"{origin}: " + "; ".join(errors[:5]))
    walk = data["crosswalk"]
    mapping: dict[str, tuple[str, ...]] = {}
    notes: dict[str, tuple[str, str]] = {}
    for key, value in (walk.get("map") or {}).items():
        targets = value.get("to") if isinstance(value, dict) else value
        mapping[str(key)] = tuple(str(x) for x in targets or ())
        if isinstance(value, dict) and value.get("note"):
            notes[str(key)] = _text(value["note"])
    new = {str(k): _text(v) for k, v in (walk.get("new") or {}).items()}
    return Crosswalk(str(walk["from"]), str(walk["to"]), mapping, new, notes)


def load_crosswalk(source: str, target: str, extra_dirs: Iterable[Path] = ()) -> Crosswalk:
    """The crosswalk from ``source`` to ``target`` among the catalogue folders' files."""
    for path in catalogue_files(extra_dirs):
        try:
            data = yamlread.parse_config(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yamlread.YamlError):
            continue
        walk = data.get("crosswalk") if isinstance(data, dict) else None
        if not isinstance(walk, dict):
            continue
        if walk.get("from") != source or walk.get("to") != target:
            continue
        return parse_crosswalk(data, str(path))
    raise CatalogueError(f"no crosswalk from {source} to {target}")
