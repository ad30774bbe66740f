"""``itsms import``: Word (.docx) and Markdown files -> controlled documents.

The header / cover table of a Chinese controlled document (文件编号, 文件名称, 版本,
编制, 审核, 批准, 生效日期 ...) fills the front matter; a document the table shows as
approved on paper (a 批准 name and a date) is imported as approved, without a
fingerprint (``itsms seal`` records it); everything else is a draft. Every file is
converted before any is written; each is written whole, and none over another file.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import import_history, yamlread
from .check import CheckResult
from .docx_read import DocxError, convert
from .edit import EditError, FrontMatter, write_atomic, write_many
from .i18n import Msg
from .load import split_front_matter
from .rules.roles import resolve_role
from .workflow import TYPES, ControlError, default_author, next_id

#: header-table labels (spaces and a trailing colon ignored) -> the field they fill
LABELS: dict[str, str] = {
    **dict.fromkeys(("文件编号", "编号", "文件号", "文档编号", "文件代号"), "id"),
    **dict.fromkeys(("文件名称", "名称", "文件标题", "标题", "文档名称"), "title"),
    **dict.fromkeys(
        ("版本", "版次", "版本号", "版本/版次", "版本版次", "版本/修订", "修订版次"), "version"
    ),
    **dict.fromkeys(("编制", "编写", "编制人", "编写人", "起草", "起草人", "拟制"), "author"),
    **dict.fromkeys(("审核", "审核人"), "reviewer"),
    **dict.fromkeys(("批准", "批准人", "签发", "签发人"), "approver"),
    **dict.fromkeys(("批准日期", "签发日期"), "approved_on"),
    "发布日期": "released",
    **dict.fromkeys(("生效日期", "实施日期", "执行日期"), "effective"),
    "密级": "classification",
}
CLASSIFICATION = {
    "公开": "public",
    "内部": "internal",
    "内部公开": "internal",
    "秘密": "confidential",
    "机密": "confidential",
    "绝密": "confidential",
}
#: notes about content that was not carried over (the others say how something was mapped)
UNMAPPED = frozenset(
    f"import.note.{k}"
    for k in (
        "header_row",
        "header_twice",
        "history_row",
        "history_column",
        "bad_date",
        "bad_version",
        "bad_field",
        "textbox",
        "shape",
        "image_missing",
        "footnote",
        "comment",
        "field",
        "deleted",
        "nested_table",
        "image_format",
        "page_header",
        "element",
    )
)
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def label_key(text: str) -> str | None:
    return LABELS.get(re.sub(r"[\s\u3000:：]", "", text))


def find_date(text: str) -> tuple[dt.date | None, str]:
    """The first date written in ``text`` (2026-03-01, 2026/3/1, 2026年3月1日) and the rest."""
    match = _DATE.search(text)
    if not match:
        return None, text.strip()
    try:
        day = dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None, text.strip()
    rest = (text[: match.start()] + " " + text[match.end() :]).strip(" \t,，;；/")
    return day, rest.strip()


def map_version(raw: str) -> str | None:
    """A version as written on paper -> "MAJOR.MINOR": 1.0, V2.1, 第2版 -> 2.0,
    A/0 -> 1.0, B/1 -> 2.1 (the letter counts editions from A = 1, the digit revisions)."""
    text = re.sub(r"\s", "", raw).upper().removeprefix("第").removesuffix("版")
    text = re.sub(r"^V(?:ER)?\.?", "", text)
    match = re.fullmatch(r"(\d+)(?:\.(\d+))?(?:\.\d+)*", text)
    if match:
        return f"{int(match.group(1))}.{int(match.group(2) or 0)}"
    match = re.fullmatch(r"([A-Z])(?:[/.\-]?(\d+))?", text)
    if match:
        return f"{ord(match.group(1)) - ord('A') + 1}.{int(match.group(2) or 0)}"
    return None


@dataclass
class Plan:
    """One file to import: what will be written, and what to tell the controller."""

    source: str
    doc_id: str
    path: Path
    text: str
    status: str
    images: list[tuple[Path, bytes]] = field(default_factory=list)
    notes: list[Msg] = field(default_factory=list)


class _Ids:
    """Free ids for the batch: the settings' pattern, not used in the repository or the batch."""

    def __init__(self, result: CheckResult) -> None:
        self.result = result
        #: as `itsms new` counts them: ids of unreadable files are claimed too
        self.taken: set[str] = set(result.corpus.by_id)
        self.taken |= {d.id for d in result.corpus.documents if d.id}

    def claim(self, wanted: str | None, dtype: str, notes: list[Msg]) -> str:
        regex = self.result.settings.id_regex
        if wanted and regex.fullmatch(wanted) and wanted not in self.taken:
            self.taken.add(wanted)
            return wanted
        doc_id = next_id(self.result, dtype)
        prefix = self.result.settings.id_prefixes[dtype]
        number, width = int(doc_id[len(prefix) :]), len(doc_id) - len(prefix)
        while doc_id in self.taken:
            number += 1
            doc_id = f"{prefix}{number:0{width}d}"
        self.taken.add(doc_id)
        if wanted:
            key = "import.note.id_taken" if wanted in self.taken else "import.note.id_pattern"
            notes.append(Msg(key, {"given": wanted, "id": doc_id}))
        else:
            notes.append(Msg("import.note.id_new", {"id": doc_id}))
        return doc_id


def _type_of(doc_id: str | None, given: str | None, result: CheckResult) -> str:
    if given:
        return given
    for dtype, prefix in result.settings.id_prefixes.items():
        if doc_id and doc_id.startswith(prefix) and dtype in TYPES:
            return dtype
    return "procedure"


def _folder(dtype: str) -> str:
    return "content/manual" if dtype == "manual" else "procedures"


def _owner(result: CheckResult, owner: str | None) -> str | None:
    if owner is None:
        return None
    roles = result.corpus.roles
    if not roles:
        return owner
    resolved = resolve_role(owner, roles)
    if resolved is None:
        raise ControlError(2, "ctl.unknown_role", role=owner, roles=", ".join(sorted(roles)))
    return resolved


def plan_docx(
    result: CheckResult, source: Path, ids: _Ids, dtype: str | None, owner: str | None
) -> Plan:
    notes: list[Msg] = []
    try:
        # the image folder is named after the id, known only once the table is read
        converted = convert(source, "\0images", label_key, import_history.is_revision_table)
    except DocxError:
        raise ControlError(2, "import.not_docx", file=str(source)) from None
    notes += converted.notes
    fields: dict[str, str] = {}
    for label, value in converted.header:
        key = label_key(label)
        if key is None:
            notes.append(Msg("import.note.header_row", {"label": label, "value": value}))
        elif key in fields:
            notes.append(Msg("import.note.header_twice", {"label": label, "value": value}))
        else:
            fields[key] = value.strip()
    wanted = re.sub(r"\s", "", fields.get("id", "")) or None
    dtype = _type_of(wanted, dtype, result)
    doc_id = ids.claim(wanted, dtype, notes)
    title = fields.get("title") or converted.title
    if not title:
        title = source.stem
        notes.append(Msg("import.note.title_file", {"title": title}))
    author_day, author = find_date(fields.get("author", ""))
    reviewer_day, reviewer = find_date(fields.get("reviewer", ""))
    approver_day, approver = find_date(fields.get("approver", ""))
    dates: dict[str, dt.date | None] = {
        k: find_date(fields[k])[0] for k in ("approved_on", "released", "effective") if k in fields
    }
    for key in ("approved_on", "released", "effective"):
        if key in fields and fields[key] and dates.get(key) is None:
            notes.append(Msg("import.note.bad_date", {"field": key, "value": fields[key]}))
    approved_on = dates.get("approved_on") or approver_day or dates.get("released")
    approved_on = approved_on or dates.get("effective")
    approved = bool(approver) and approved_on is not None
    if approver and not approved:
        notes.append(Msg("import.note.approver_no_date", {"person": approver}))
    if approved and author and "".join(author.split()) == "".join(approver.split()):
        notes.append(Msg("import.note.self_approval", {"person": approver}))
    raw_version = fields.get("version", "")
    version = map_version(raw_version) if raw_version else None
    if raw_version and version is None:
        notes.append(Msg("import.note.bad_version", {"value": raw_version}))
    history: list[dict[str, Any]] = []
    for rows in converted.claimed:
        history += import_history.entries(rows, find_date, map_version, notes)
    history.sort(key=lambda e: tuple(int(n) for n in e["version"].split(".")))
    if history:
        notes.append(Msg("import.note.history", {"count": len(history)}))
    if version is None and history:
        version = history[-1]["version"]
        notes.append(Msg("import.note.version_history", {"version": version}))
    if version is None:
        version = "1.0" if approved else "0.1"
        notes.append(Msg("import.note.version_default", {"version": version}))
    elif version != raw_version.strip():
        notes.append(Msg("import.note.version_mapped", {"value": raw_version, "version": version}))
    if not author:
        author = default_author(result.root)
        notes.append(Msg("import.note.author_default", {"person": author}))
    classification = "internal"
    if fields.get("classification"):
        mapped = CLASSIFICATION.get(re.sub(r"\s", "", fields["classification"]))
        if mapped is None:
            notes.append(
                Msg("import.note.header_row", {"label": "密级", "value": fields["classification"]})
            )
        else:
            classification = mapped
    owner_id = _owner(result, owner)
    if owner_id is None:
        raise ControlError(2, "import.no_owner", file=str(source))
    unused = [("编制日期", author_day), ("审核日期", reviewer_day)]
    if dates.get("approved_on") or approver_day:
        unused.append(("发布日期", dates.get("released")))
    for label, day in unused:  # no field holds them: said, not dropped
        if day is not None:
            notes.append(Msg("import.note.header_row", {"label": label, "value": day}))
    fm = FrontMatter("---\n---\n")
    status = "approved" if approved else "draft"
    values: list[tuple[str, Any]] = [
        ("id", doc_id),
        ("title", title),
        ("type", dtype),
        ("version", version),
        ("status", status),
        ("owner", owner_id),
        ("author", author),
    ]
    if approved:
        values += [("approved_by", approver), ("approved_on", approved_on)]
        if dates.get("effective"):
            values.append(("effective", dates["effective"]))
    if reviewer:
        values.append(("x-reviewed_by", reviewer))
    values += [("classification", classification)]
    values += [(k, []) for k in ("clauses", "records", "references", "raci", "history")]
    for key, value in values:
        fm.set(key, value)
    current = [e for e in history if e["version"] == version]
    if approved and current:  # the revision table's row for this version: the approver
        current[-1].setdefault("author", author)
        current[-1].setdefault("approved_by", approver)
    elif approved:
        entry = {"version": version, "date": approved_on, "author": author}
        entry.update({"approved_by": approver, "summary": "纸质批准，导入受控"})
        history.append(entry)
    for n, entry in enumerate(history):
        fm.append_item("history", entry, existing=history[:n])
    folder = result.root / _folder(dtype)
    path = folder / f"{doc_id}.md"
    body = converted.body.replace("\0images", doc_id)
    images = [(folder / doc_id / name, data) for name, data in converted.images]
    return Plan(str(source), doc_id, path, fm.text() + "\n" + body, status, images, notes)


def plan_markdown(
    result: CheckResult, source: Path, ids: _Ids, dtype: str | None, owner: str | None
) -> Plan:
    notes: list[Msg] = []
    try:
        text = source.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ControlError(2, "import.not_utf8", file=str(source)) from None
    try:
        front, _, _, _ = split_front_matter(text.replace("\r\n", "\n"))
        meta = yamlread.parse(front).data if front is not None else {}
        fm = FrontMatter(text) if front is not None else FrontMatter("---\n---\n")
    except (yamlread.YamlError, EditError) as exc:
        raise ControlError(2, "import.bad_yaml", file=str(source), problem=str(exc)) from None
    if not isinstance(meta, dict):
        meta = {}
    if front is None:
        fm.rest += "\n" + text.lstrip("\r\n")
    given_type = meta.get("type")
    if given_type not in TYPES:
        if given_type is not None:
            notes.append(Msg("import.note.bad_field", {"field": "type", "value": given_type}))
        given_type = None
    elif dtype is not None and dtype != given_type:
        notes.append(
            Msg("import.note.option", {"field": "type", "value": given_type, "new": dtype})
        )
        given_type = None
    wanted = meta.get("id") if isinstance(meta.get("id"), str) else None
    kind = given_type or _type_of(wanted, dtype, result)
    doc_id = ids.claim(wanted, kind, notes)
    if doc_id != wanted:
        if fm.has("id"):
            fm.set("id", doc_id)
        else:
            fm.set("id", doc_id)
            fm.lines.insert(0, fm.lines.pop())  # the id first, as in every document
    if not isinstance(meta.get("title"), str) or not meta["title"].strip():
        heading = re.search(r"^# (.*?)[ \t]*(?:\r?\n|$)", fm.rest, re.M)
        if heading is not None and heading.group(1).strip():
            title = heading.group(1).strip()
            before, after = fm.rest[: heading.start()], fm.rest[heading.end() :]
            if before.endswith(("\n\n", "\n\r\n")):  # and the blank line after it
                after = re.sub(r"^\r?\n", "", after)
            fm.rest = before + after
        else:
            title = source.stem
            notes.append(Msg("import.note.title_file", {"title": title}))
        fm.set("title", title, after=("id",))
    if given_type is None:
        fm.set("type", kind, after=("title",))
    version = meta.get("version")
    if not isinstance(version, str) or map_version(version) != version:
        new_version = map_version(str(version)) if version is not None else None
        if version is not None:
            notes.append(
                Msg("import.note.version_mapped", {"value": version, "version": new_version})
            )
        fm.set("version", new_version or "0.1", after=("type",))
    status = meta.get("status")
    paper = status == "approved" and meta.get("approved_by") and meta.get("approved_on")
    if not paper:
        if status not in (None, "draft"):
            notes.append(Msg("import.note.status_draft", {"status": status}))
        status = "draft"
        fm.set("status", status, after=("version",))
    owner_id = _owner(result, owner)
    if owner_id is not None:
        if meta.get("owner") and meta["owner"] != owner_id:
            notes.append(
                Msg(
                    "import.note.option",
                    {"field": "owner", "value": meta["owner"], "new": owner_id},
                )
            )
        fm.set("owner", owner_id, after=("status",))
    elif not meta.get("owner"):
        raise ControlError(2, "import.no_owner", file=str(source))
    if not meta.get("author"):
        fm.set("author", default_author(result.root), after=("owner",))
    folder = result.root / _folder(kind)
    return Plan(str(source), doc_id, folder / f"{doc_id}.md", fm.text(), str(status), [], notes)


def _exists(result: CheckResult, path: Path) -> ControlError:
    return ControlError(1, "ctl.exists", file=path.relative_to(result.root).as_posix())


def import_files(
    result: CheckResult, files: list[Path], dtype: str | None, owner: str | None
) -> list[Plan]:
    """Convert every file, then write them all; a file that cannot be read writes nothing."""
    if dtype is not None and dtype not in TYPES:
        raise ControlError(2, "ctl.bad_type", type=dtype, types=", ".join(TYPES))
    ids = _Ids(result)
    plans: list[Plan] = []
    for source in files:
        if not source.is_file():
            raise ControlError(2, "import.missing", file=str(source))
        suffix = source.suffix.lower()
        if suffix == ".docx":
            plans.append(plan_docx(result, source, ids, dtype, owner))
        elif suffix in (".md", ".markdown"):
            plans.append(plan_markdown(result, source, ids, dtype, owner))
        else:
            raise ControlError(2, "import.not_docx", file=str(source))
    for plan in plans:
        if plan.path.exists():
            raise _exists(result, plan.path)
        if plan.images and plan.images[0][0].parent.exists():
            raise _exists(result, plan.images[0][0].parent)
    for plan in plans:
        _write(result, plan)
    return plans


def _write(result: CheckResult, plan: Plan) -> None:
    """Each file is first created empty and exclusively (never over another file, mode
    0644 less the umask), then written whole."""
    created: list[Path] = []
    try:
        for path in [plan.path, *(p for p, _ in plan.images)]:
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                raise _exists(result, path) from None
            os.close(fd)
            created.append(path)
        write_many([(p, data) for p, data in plan.images])
        write_atomic(plan.path, plan.text)
    except BaseException:
        for path in created:
            path.unlink(missing_ok=True)
        raise
