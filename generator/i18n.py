"""The one message catalogue: every word a document controller reads, in Chinese
(the default) and English, keyed by rule code (``rule`` or ``rule.variant``)
or by interface label (``ui.*``). Templates use ``str.format`` fields."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .i18n_control import CONTROL
from .i18n_import import IMPORT
from .i18n_portal import PORTAL
from .i18n_rules import RULES
from .i18n_schema import SCHEMA
from .i18n_ui import UI

LANGS = ("zh", "en")

_M: dict[str, tuple[str, str]] = {
    # --- loading -------------------------------------------------------------------------
    "encoding": (
        "文件不是 UTF-8 编码，看起来是 {encoding}。请转换为 UTF-8，例如："
        'iconv -f {iconv} -t UTF-8 "{file}" -o "{file}.utf8" && mv "{file}.utf8" "{file}"',
        "the file is not UTF-8; it looks like {encoding}. Convert it to UTF-8, e.g. "
        'iconv -f {iconv} -t UTF-8 "{file}" -o "{file}.utf8" && mv "{file}.utf8" "{file}"',
    ),
    "encoding.unknown": (
        "文件不是 UTF-8 编码，也无法识别为 GB18030/GBK 或 UTF-16；请用编辑器另存为 UTF-8",
        "the file is not UTF-8, nor recognisably GB18030/GBK or UTF-16; save it as UTF-8",
    ),
    "encoding.binary": (
        "这是二进制文件，不是文本；证据附件请放在 records/files/ 下",
        "this is a binary file, not text; put evidence attachments under records/files/",
    ),
    "file.unreadable": ("无法读取文件：{error}", "cannot read the file: {error}"),
    "file.too_big": (
        "文件过大（{size} 字节，上限 {limit}），未读取；请拆分文件",
        "the file is too large ({size} bytes, limit {limit}) and was not read; split it",
    ),
    "file.outside": (
        "符号链接指向仓库之外，未读取；请把文件放进仓库",
        "a symbolic link pointing outside the repository was not read; copy the file in",
    ),
    "file.link_out": (
        "符号链接指向 {folder}/ 之外（{target}），未读取也不发布；请把文件本身放进 {folder}/",
        "a symbolic link pointing outside {folder}/ ({target}) is neither read nor published; "
        "put the file itself in {folder}/",
    ),
    "yaml-syntax": (
        "元数据（YAML）无法解析：{problem}。请检查该行的缩进、冒号和引号",
        "the front matter (YAML) does not parse: {problem}. Check indentation, colons and quotes",
    ),
    "yaml-syntax.unclosed": (
        "元数据以 --- 开始但没有以 --- 结束；请在元数据后加一行 ---",
        "the front matter starts with --- but never ends; add a line --- after it",
    ),
    "duplicate-key": (
        "字段 {key} 重复（第 {first_line} 行已有）；YAML 只保留最后一个值，请删除其中一个",
        "key {key} is given twice (first on line {first_line}); YAML keeps only the last: "
        "remove one",
    ),
    # --- schema ------------------------------------------------------------------------
    "schema.no_front_matter": (
        "缺少元数据；文件应以 --- 开头的 YAML 元数据（id、title、type、version、status、owner、author）开始",
        "no front matter: the file must start with YAML between --- lines "
        "(id, title, type, version, status, owner, author)",
    ),
    "schema.required": ("缺少必填字段 {field}", "required field {field} is missing"),
    "schema.unknown_field": (
        "未知字段 {field}（拼写错误？自定义字段请以 x- 开头）",
        "unknown field {field} (a typo? custom fields start with x-)",
    ),
    "schema.quote_number": (
        '{field} 写成了数字 {raw}，YAML 会把它读成 {value}；请加引号：{leaf}: "{raw}"',
        "{field} is an unquoted number {raw}, which YAML reads as {value}; quote it: "
        '{leaf}: "{raw}"',
    ),
    "schema.quote_item": (
        '{field} 写成了数字 {raw}，YAML 会把它读成 {value}；请加引号，例如 ["{raw}"]',
        "{field} is an unquoted number {raw}, which YAML reads as {value}; quote it, e.g. "
        '["{raw}"]',
    ),
    "schema.type": (
        "{field} 应为{expect}；这里写的是{actual}",
        "{field} should be {expect}; what is written is {actual}",
    ),
    "schema.enum": (
        "{field} 的值「{value}」无效；可用的值：{allowed}",
        "{field} has the invalid value '{value}'; allowed: {allowed}",
    ),
    "schema.date": (
        "{field} 的值「{value}」不是有效日期；请写成 YYYY-MM-DD，例如 2026-03-15",
        "{field} '{value}' is not a valid date; write YYYY-MM-DD, e.g. 2026-03-15",
    ),
    "schema.pattern": (
        "{field} 的值「{value}」格式不对；应为{expect}",
        "{field} '{value}' has the wrong form; it should be {expect}",
    ),
    "schema.one_line": (
        "{field} 含有换行符或控制字符；应为{expect}，请写成一行",
        "{field} holds a line break or a control character; it should be {expect}",
    ),
    "schema.empty": ("{field} 不能为空；应为{expect}", "{field} must not be empty: {expect}"),
    "schema.too_long": (
        "{field} 太长（最多 {limit} 个字符）",
        "{field} is too long (at most {limit} characters)",
    ),
    "schema.range": (
        "{field} 的值 {value} 超出范围；应为{expect}",
        "{field} {value} is out of range; it should be {expect}",
    ),
    "schema.unique": ("{field} 中有重复的项", "{field} lists an item twice"),
    "schema.invalid": ("{field} 的写法不对；应为{expect}", "{field} is not valid: {expect}"),
    "schema.id_pattern": (
        "文件编号「{value}」不符合编号规则 {pattern}（如 GZDS-ITSMS-QP-18）",
        "document id '{value}' does not match the id pattern {pattern} (e.g. GZDS-ITSMS-QP-18)",
    ),
    "schema.roles_missing": (
        "缺少角色目录 content/roles.yml；请按 roles: [{{id, name, description}}] 的格式建立",
        "content/roles.yml is missing; create it as roles: [{{id, name, description}}]",
    ),
    "schema.superseded_by": (
        "状态为 superseded，但没有 superseded_by；请写明替代它的文件编号",
        "status is superseded but superseded_by is missing; name the replacing document",
    ),
    "duplicate-id": (
        "编号 {id} 重复，已用于 {other}；每个文件/记录的编号必须唯一",
        "id {id} is already used by {other}; every document and record needs its own id",
    ),
    "duplicate-entry": (
        "{field} 中「{value}」重复列出（第 {first_line} 行已有）；请删除重复的一项",
        "{field} lists '{value}' twice (first on line {first_line}); remove one",
    ),
    "duplicate-id.role": (
        "角色 id「{role}」重复（第 {first_line} 行已有）；每个角色的 id 必须唯一",
        "role id '{role}' is given twice (first on line {first_line}); every role needs its own id",
    ),
    "duplicate-id.role_name": (
        "角色名称「{role}」已被第 {first_line} 行的角色使用；名称也用来指称角色，必须唯一",
        "role name '{role}' is already used by the role on line {first_line}; names refer to "
        "roles too and must be unique",
    ),
    # --- references --------------------------------------------------------------------
    "unknown-reference": (
        "{field} 引用的 {ref} 不存在{suggest}",
        "{field} names {ref}, which does not exist{suggest}",
    ),
    "unknown-reference.citation": (
        "正文引用《{title}》{ref}，但没有编号为 {ref} 的文件{suggest}",
        "the text cites 《{title}》{ref}, but no document has the id {ref}{suggest}",
    ),
    "unknown-reference.suggest": ("；《{title}》的编号是 {id}", "; 《{title}》 is {id}"),
    "unknown-reference.one_sided": (
        "{field} 写了 {ref}，但 {ref} 的 {other_field} 没有写本文件 {id}；替代关系须在双方记录",
        "{field} names {ref}, but {ref}'s {other_field} does not name {id}; "
        "a supersession is recorded on both sides",
    ),
    "unknown-reference.replacement": (
        "本文件已被 {ref} 替代，但 {ref} 没有批准生效（{cause}）：读者将没有现行文件；"
        "先批准 {ref}，或把本文件恢复为 approved",
        "superseded by {ref}, which is not approved and in effect ({cause}): readers are "
        "left with no current document; approve {ref} first, or restore this one to approved",
    ),
    "citation-title-mismatch": (
        "正文引用《{title}》{ref}，但 {ref} 是《{actual}》{suggest}；请改正标题或编号",
        "the text cites 《{title}》{ref}, but {ref} is 《{actual}》{suggest}; "
        "correct the title or the id",
    ),
    "obsolete-reference": (
        "{field} 引用的 {ref}《{title}》{status}{replacement}；请改为引用现行文件",
        "{field} refers to {ref} 《{title}》, which is {status}{replacement}; "
        "refer to the current document",
    ),
    "obsolete-reference.replacement": ("，由 {by} 替代", ", replaced by {by}"),
    # --- approval ----------------------------------------------------------------------
    "missing-approval": (
        "状态为 {status}，但缺少 {fields}；请用 itsms approve {id} --by 批准人 批准",
        "status is {status} but {fields} is missing; approve it with itsms approve {id} --by NAME",
    ),
    "self-approval": (
        "批准人「{person}」就是作者；文件须由作者以外的人批准",
        "the approver '{person}' is the author; someone else must approve it",
    ),
    "self-approval.history": (
        "修订历史 {version} 的批准人「{person}」就是作者",
        "history entry {version}: the approver '{person}' is the author",
    ),
    "stale-approval": (
        "批准后内容或批准信息已改动（指纹不符）而版本未变；要保留改动请 itsms revise {id} "
        "起草新版本，误改请恢复批准时的文字（git checkout）",
        "changed since approval (the fingerprint does not match) without a new version: "
        "itsms revise {id} to draft a new version with the change, or restore the approved "
        "text (git checkout) if it was a mistake",
    ),
    "stale-approval.seal_removed": (
        "{version} 版的指纹被删除了：git 中已提交的 {version} 版带有指纹（已封存），"
        "删除指纹不能让改动免于审批；请恢复 fingerprint 一行（git checkout），"
        "要改动内容请 itsms revise {id} 起草新版本",
        "the seal was removed: version {version} was committed with a fingerprint (sealed), "
        "and deleting it does not exempt a change from approval; restore the fingerprint "
        "line (git checkout), or itsms revise {id} to draft a new version with the change",
    ),
    "unsealed-approval": (
        "已批准（如在使用 itsms 之前纸面批准）但尚未封存，无法证明现在的内容就是批准的内容；"
        "请核对后运行 itsms seal {id} 记录指纹（批准人、日期和正文均不变）",
        "approved (e.g. on paper, before itsms) but not sealed, so nothing shows the text is the "
        "one approved; check it, then run itsms seal {id} to record its fingerprint (approver, "
        "dates and text stay as they are)",
    ),
    "legacy-fingerprint": (
        "指纹是旧格式（sha256:），不包括批准人、批准日期和生效日期：批准后改动它们不会被发现；"
        "请运行 itsms seal {id} 升级为 sha256v2（只在旧指纹仍然吻合时升级）",
        "an old-style fingerprint (sha256:) that does not cover the approver and the dates: "
        "changing them after approval would go unnoticed; run itsms seal {id} to upgrade it to "
        "sha256v2 (done only while the old fingerprint still matches)",
    ),
    # --- dates -------------------------------------------------------------------------
    "date-order.future_approval": (
        "批准日期 {date} 晚于检查日期 {as_of}；批准日期不能在将来",
        "approved on {date}, after the as-of date {as_of}: an approval cannot be in the future",
    ),
    "date-order.effective_before": (
        "生效日期 {effective} 早于批准日期 {approved}；文件须先批准后生效",
        "effective {effective} before its approval on {approved}: approve before it takes effect",
    ),
    "date-order.review_before": (
        "下次评审日期 {next_review} 早于批准日期 {approved}",
        "next review {next_review} is before the approval on {approved}",
    ),
    "date-order.history": (
        "修订历史顺序错误：{version} 的日期 {date} 早于上一条 {prev_date}",
        "history out of order: {version} is dated {date}, before the entry above ({prev_date})",
    ),
    "date-order.history_future": (
        "修订历史 {version} 的日期 {date} 晚于检查日期 {as_of}",
        "history entry {version} is dated {date}, after the as-of date {as_of}",
    ),
    "date-order.record_future": (
        "记录日期 {date} 晚于检查日期 {as_of}",
        "the record is dated {date}, after the as-of date {as_of}",
    ),
    "date-order.withdrawn_before": (
        "作废日期 {withdrawn} 早于批准日期 {approved}",
        "withdrawn on {withdrawn}, before its approval on {approved}",
    ),
    "date-order.superseded_before": (
        "替代日期 {superseded} 早于批准日期 {approved}",
        "superseded on {superseded}, before its approval on {approved}",
    ),
    "date-order.before_previous": (
        "{version} 版的批准日期 {approved} 早于上一版 {previous} 的批准日期 {previous_date}：批准日期被提前了",
        "version {version} is approved on {approved}, before the previous version {previous} "
        "was approved ({previous_date}): a backdated approval",
    ),
    "date-order.held_unapproved": (
        "批准日期 {approved} 早于 {held}，而 git 在 {held} 的提交 {commit} 中本文件仍是{status}"
        "（{version} 版）：批准日期被提前了；请把 approved_on 改为真实的批准日期（不早于 {held}），"
        "如果尚未批准，请恢复审核状态（status: review）后用 itsms approve 批准",
        "approved on {approved}, before {held}, when git (commit {commit}) still held this "
        "document {status} (version {version}): a backdated approval; set approved_on to the "
        "real approval date (not before {held}), or, if it was not approved, set status: review "
        "again and approve it with itsms approve",
    ),
    "history-mismatch.missing": (
        "当前版本 {version} 不在修订历史中；请在 history 中补充该版本的条目",
        "the current version {version} is missing from history; add its entry",
    ),
    "history-mismatch.order": (
        "修订历史的版本号没有递增：{version} 在 {prev} 之后",
        "history versions do not increase: {version} comes after {prev}",
    ),
    "history-mismatch.approver": (
        "修订历史中 {version} 的批准人是「{history}」，与 approved_by「{current}」不一致",
        "history says {version} was approved by '{history}', approved_by says '{current}'",
    ),
    "review-due": (
        "下次评审日期 {next_review}，还有 {days} 天；请安排评审",
        "next review on {next_review}, in {days} days: schedule the review",
    ),
    "review-overdue": (
        "评审已逾期：应于 {next_review} 评审（已过 {days} 天）；评审后需修改的，用 itsms revise "
        "{id} 起草新版本；无需修改的，用 itsms reviewed {id} 记录评审（设置下次评审日期）",
        "review overdue: due on {next_review} ({days} days ago); after the review, itsms revise "
        "{id} for a new version, or, if nothing needs to change, itsms reviewed {id} to record "
        "the review (and the next review date)",
    ),
    # --- roles and RACI ----------------------------------------------------------------
    "unknown-role": (
        "{field} 中的角色「{role}」不在 content/roles.yml 中{suggest}",
        "{field}: role '{role}' is not in content/roles.yml{suggest}",
    ),
    "unknown-role.suggest": ("；是否应为 {role}（{name}）？", "; did you mean {role} ({name})?"),
    "raci-accountable": (
        "活动「{activity}」有 {count} 个 A（负责批准）；每项活动必须恰好有一个 A",
        "activity '{activity}' has {count} A (accountable); every activity needs exactly one",
    ),
    # --- clauses and coverage ----------------------------------------------------------
    "unknown-clause": (
        "条款 {clause} 不在 {standard} 中{suggest}",
        "clause {clause} is not in {standard}{suggest}",
    ),
    "unknown-clause.suggest": (
        "；是否应为 {clause}（{title}）？",
        "; did you mean {clause} ({title})?",
    ),
    "unknown-clause.standard": (
        "未知的标准 {standard}；已知：{known}",
        "unknown standard {standard}; known: {known}",
    ),
    "uncovered-clause": (
        "条款 {clause}《{title}》没有已批准且生效的文件满足{candidates}；"
        "请在文件的 clauses 中引用它，或在设置中说明删减理由",
        "clause {clause} ({title}) is met by no approved document in effect{candidates}; "
        "cite it in a document's clauses, or exclude it in the settings with a justification",
    ),
    "uncovered-clause.candidates": (
        "（引用它的文件：{ids}）",
        " (cited by {ids})",
    ),
    "version-rejected": (
        "git 中的 {version} 版（提交 {commit}）{reason}，不作为现行或历史版本发布；{advice}",
        "version {version} in git (commit {commit}) {reason}, so it is not published as in "
        "effect or archived; {advice}",
    ),
    "version-rejected.advice.in_effect": (
        "请批准现行修订稿，或在 git 中恢复一个正确批准的版本",
        "approve the revision in progress, or restore a correctly approved version in git",
    ),
    "version-rejected.advice.archived": (
        "git 的历史不能修改，此条作为记录保留：请查明该提交为何在未重新批准的情况下改动了文件",
        "git's past cannot be edited, so this stays on record: find out why that commit "
        "changed the file without a new approval",
    ),
    "version-rejected.schema": ("不符合文件格式", "does not match the document schema"),
    "version-rejected.missing-approval": (
        "缺少批准人或批准日期",
        "has no approver or approval date",
    ),
    "version-rejected.self-approval": (
        "由作者本人（{person}）批准",
        "was approved by its author ({person})",
    ),
    "version-rejected.stale-approval": (
        "没有指纹或指纹与内容不符",
        "has no fingerprint, or one that does not match its content",
    ),
    "cause.superseded": ("{id} 已被 {by} 替代", "{id}, superseded by {by}"),
    "cause.withdrawn": ("{id} 已作废", "{id}, withdrawn"),
    "cause.draft": ("{id} 还是草稿", "{id}, still a draft"),
    "cause.review": ("{id} 正在审核、尚未批准", "{id}, under review and not yet approved"),
    "cause.not_effective": ("{id} 自 {date} 起才生效", "{id}, not in effect until {date}"),
    "cause.not_approved": ("{id} 未批准", "{id}, not approved"),
    "cause.broken": (
        "{id} 无法读取（{file} 的错误见上，改正后才能判断）",
        "{id}, which cannot be read ({file}: see its error; correct it to judge it)",
    ),
    "no-evidence": (
        "条款 {clause}《{title}》在审核期 {period} 内没有证据记录",
        "clause {clause} ({title}) has no evidence record in the audit period {period}",
    ),
    # --- records -----------------------------------------------------------------------
    "unknown-record-type": (
        "记录类型「{type}」没有任何文件在 records 中声明{suggest}",
        "record type '{type}' is declared by no document's records{suggest}",
    ),
    "unknown-record-type.suggest": (
        "；{procedure} 声明的类型有：{types}",
        "; {procedure} declares: {types}",
    ),
    "missing-evidence-file": (
        "证据文件 {evidence} 不存在（应位于 records/{evidence}）",
        "evidence file {evidence} does not exist (expected at records/{evidence})",
    ),
    "missing-evidence-file.folder": (
        "证据 {evidence} 是一个文件夹，不是文件：写明文件夹中作为证据的那个文件",
        "evidence {evidence} is a folder, not a file: name the file in it that is the evidence",
    ),
    "missing-evidence-file.outside": (
        "证据路径 {evidence} 指向 records/ 之外；证据文件必须放在 records/ 下",
        "evidence path {evidence} leads outside records/; evidence files must be under records/",
    ),
    "unsealed-evidence": (
        "本地证据文件 {evidence} 没有记录 sha256，日后被改动或替换将无从发现；请执行 "
        "itsms seal-evidence {record}，或在记录中写上 sha256: {actual}",
        "the local evidence file {evidence} has no sha256 recorded, so a later change or "
        "replacement would go unnoticed; run itsms seal-evidence {record}, or add "
        "sha256: {actual} to the record",
    ),
    "evidence-hash-mismatch": (
        "证据文件 {evidence} 与记录的 sha256 不符（实际为 {actual}）；文件被改动或替换了",
        "evidence file {evidence} does not match the record's sha256 (it is {actual}); "
        "it was changed or replaced",
    ),
    "retention-expired": (
        "记录已超过保存期限（{years} 年，至 {until}）；请按《记录控制程序》处置",
        "the record is past its retention period ({years} years, until {until}); dispose of it "
        "as the records procedure says",
    ),
    "retention-mismatch": (
        "记录保存期限为 {years} 年，但 {procedure} 规定「{type}」保存 {declared} 年；"
        "请按程序改正 retention_years",
        "the record is kept {years} years, but {procedure} sets {declared} years for "
        "'{type}'; correct retention_years as the procedure says",
    ),
    "evidence-gap": (
        "{period} {type}缺失（{procedure} 规定{every}一份，审核期 {audit}）",
        "{period}: no {type} ({procedure} requires one {every}, audit period {audit})",
    ),
    "record-clause-outside": (
        "记录的 clauses 中的条款 {clauses} 超出了程序 {procedure} 对「{type}」记录所满足的条款"
        "（{meets}），{effect}；请从记录中删去这些条款，或把记录归到真正满足这些条款的程序",
        "the record's clauses {clauses} lie beyond what its procedure {procedure} meets with "
        "'{type}' records ({meets}), {effect}; remove them from the "
        "record, or attribute the record to the procedure that really meets them",
    ),
    "record-clause-outside.some": (
        "不计为这些条款的证据",
        "so it is no evidence for them",
    ),
    "record-clause-outside.all": (
        "记录自身的条款都不在其内，因此该记录不计为任何条款的证据（也不按其类型声明的条款计）",
        "and none of its own clauses lies within them, so the record is evidence for no clause "
        "at all (not for the clauses declared for its type either)",
    ),
    "unattributed-evidence": (
        "{procedure} 的记录类型 {types} 未声明证明哪些条款，这些记录被算作本程序全部条款的证据；"
        "请在 records 中写明 {{type, clauses}}，或在记录中写明 clauses",
        "{procedure}'s record types {types} do not say which clauses they prove, so their "
        "records count for every clause of the procedure; declare {{type, clauses}} in records, "
        "or give the records clauses",
    ),
}

MESSAGES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {**_M, **CONTROL, **SCHEMA, **IMPORT, **PORTAL, **RULES, **UI}
)


@dataclass(frozen=True)
class Msg:
    """A message not yet put into words: a part of a finding's parameters that is
    itself a catalogue entry (a hint, a status), worded with the finding."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)


class Translator:
    """``t(key, **params)`` in one language: what page builders hold."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, key: str, /, **params: Any) -> str:
        return text(key, self.lang, **params)


class _Default(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _word(value: Any, lang: str) -> Any:
    if isinstance(value, Msg):
        return text(value.key, lang, **value.params)
    if isinstance(value, list | tuple) and any(isinstance(v, Msg) for v in value):
        return ("；" if lang == "zh" else "; ").join(str(_word(v, lang)) for v in value)
    return value


def text(key: str, lang: str = "zh", /, **params: Any) -> str:
    """The message for ``key`` in ``lang``, its fields filled; unknown fields stay visible."""
    pair = MESSAGES.get(key) or MESSAGES.get(key.split(".", 1)[0])
    if pair is None:
        return key
    template = pair[0] if lang == "zh" else pair[1]
    values = {k: _word(v, lang) for k, v in params.items()}
    return template.format_map(_Default(values))
