"""The one message catalogue: every word a document controller reads, in Chinese
(the default) and English, keyed by rule code (``rule`` or ``rule.variant``)
or by interface label (``ui.*``). Templates use ``str.format`` fields."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .i18n_import import IMPORT
from .i18n_portal import PORTAL

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
        "{field} 的类型应为 {expected}，实际是 {actual}",
        "{field} should be of type {expected}, not {actual}",
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
        '{field} 的值「{value}」格式不对（版本如 "2.1"，条款如 "4.5.4.3"，角色 id 如 service-manager）',
        "{field} '{value}' has the wrong form (a version like \"2.1\", a clause like "
        '"4.5.4.3", a role id like service-manager)',
    ),
    "schema.empty": ("{field} 不能为空", "{field} must not be empty"),
    "schema.unique": ("{field} 中有重复的项", "{field} lists an item twice"),
    "schema.other": ("{field}：{detail}", "{field}: {detail}"),
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
        "批准后内容已改动（指纹不符）而版本未变；请 itsms revise {id} 起草新版本，"
        "或复核后 itsms approve {id} --by 批准人 重新批准",
        "changed since approval (the fingerprint does not match) without a new version: "
        "itsms revise {id} for a new version, or review and re-approve with "
        "itsms approve {id} --by NAME",
    ),
    "stale-approval.missing": (
        "已批准但没有指纹，无法证明批准后未被改动；请复核后用 itsms approve {id} --by 批准人 批准",
        "approved without a fingerprint, so nothing shows it is unchanged since; review it and "
        "approve with itsms approve {id} --by NAME",
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
        "评审已逾期：应于 {next_review} 评审（已过 {days} 天）；评审后用 itsms revise 或重新批准",
        "review overdue: due on {next_review} ({days} days ago); review it, then revise or "
        "re-approve",
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
        "git 中的 {version} 版（提交 {commit}）{reason}，不作为现行或历史版本发布；"
        "请批准现行修订稿，或在 git 中恢复一个正确批准的版本",
        "version {version} in git (commit {commit}) {reason}, so it is not published as in "
        "effect or archived; approve the revision in progress, or restore a correctly "
        "approved version in git",
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
    "missing-evidence-file.outside": (
        "证据路径 {evidence} 指向 records/ 之外；证据文件必须放在 records/ 下",
        "evidence path {evidence} leads outside records/; evidence files must be under records/",
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
    "unattributed-evidence": (
        "{procedure} 的记录类型 {types} 未声明证明哪些条款，这些记录被算作本程序全部条款的证据；"
        "请在 records 中写明 {{type, clauses}}，或在记录中写明 clauses",
        "{procedure}'s record types {types} do not say which clauses they prove, so their "
        "records count for every clause of the procedure; declare {{type, clauses}} in records, "
        "or give the records clauses",
    ),
    # --- document control ------------------------------------------------------------
    "ctl.unknown_id": ("没有编号为 {id} 的文件", "no document has the id {id}"),
    "ctl.unreadable": ("无法读取或编辑 {file}：{error}", "cannot read or edit {file}: {error}"),
    "ctl.unsafe_edit": (
        "未修改 {file}：修改后的文件复核不通过（{reason}）；请检查该文件的元数据格式后重试",
        "{file} left as it was: the edited file did not read back as intended ({reason}); "
        "check the layout of its metadata and try again",
    ),
    "ctl.no_prefix": (
        "设置的 id_prefixes 中没有类型 {type} 的编号前缀",
        "the settings' id_prefixes has no prefix for type {type}",
    ),
    "ctl.bad_prefix": (
        "设置 id_prefixes 中 {type} 的前缀生成的编号 {prefix} 不是 procedures/ 或 "
        "content/manual/ 中的文件名；请改为不含 /、\\ 的前缀",
        "the id_prefixes setting for {type} gives the id {prefix}, which is not a file name "
        "in procedures/ or content/manual/; use a prefix without / or \\",
    ),
    "ctl.bad_type": (
        "未知的文件类型 {type}；可用：{types}",
        "unknown type {type}; use one of: {types}",
    ),
    "ctl.unknown_role": (
        "角色 {role} 不在 content/roles.yml 中；已有：{roles}",
        "role {role} is not in content/roles.yml; known: {roles}",
    ),
    "ctl.empty_title": ("标题不能为空", "the title must not be empty"),
    "ctl.exists": ("{file} 已存在，不会覆盖", "{file} exists already and is not overwritten"),
    "ctl.created": ("已建立草稿 {id}：{file}", "created the draft {id}: {file}"),
    "ctl.no_approver": ("请用 --by 写明批准人", "name the approver with --by"),
    "ctl.not_submitted": (
        "{id} 还是草稿：先用 itsms submit {id} 提交审核，审核通过后再批准",
        "{id} is a draft: submit it for review first (itsms submit {id}), then approve it",
    ),
    "ctl.not_draft": (
        "{id} 的状态是 {status}；只有草稿可以提交审核",
        "{id} is {status}; only a draft can be submitted for review",
    ),
    "ctl.submitted": ("{id} {version} 版已提交审核", "{id} version {version} is under review"),
    "ctl.template": (
        "{id} 的正文仍是模板的占位文字（{lines}）：写好各节内容后再提交或批准",
        "the body of {id} still holds the template's placeholders ({lines}): "
        "write the sections before submitting or approving",
    ),
    "ctl.no_clauses": (
        "{id}（{type}）没有引用任何条款：在 clauses 中写明它满足的条款后再提交或批准",
        "{id} ({type}) cites no clause: list the clauses it meets in clauses first",
    ),
    "ctl.replacement_not_in_effect": (
        "替代文件 {id} 尚未批准生效（{cause}）：先批准它，生效当日或之后再替代",
        "the replacement {id} is not approved and in effect ({cause}): approve it first, "
        "and supersede on or after the day it takes effect",
    ),
    "ctl.would_uncover": (
        "这样做后，以下叶条款将没有已批准且生效的文件满足：{clauses}；"
        "先让其他文件引用它们，或加 --force",
        "afterwards these leaf clauses would be met by no approved document in effect: "
        "{clauses}; have another document cite them first, or add --force",
    ),
    "ctl.obsolete": (
        "{id} 的状态是 {status}，已结束生命周期",
        "{id} is {status}: its life has ended",
    ),
    "ctl.self_approval": (
        "{id} 的作者就是「{person}」：文件须由作者以外的人批准",
        "'{person}' is the author of {id}: someone else must approve it",
    ),
    "ctl.already": (
        "{id} 的 {version} 版已经批准且未改动；要修改请先 itsms revise {id}",
        "{id} version {version} is approved and unchanged; itsms revise {id} first",
    ),
    "ctl.future": ("批准日期 {date} 晚于今天（{as_of}）", "approval date {date} is after {as_of}"),
    "ctl.effective_before": (
        "生效日期 {effective} 早于批准日期 {on}",
        "effective {effective} is before the approval on {on}",
    ),
    "ctl.has_errors": (
        "{id} 的检查有 {count} 个错误（{rules}），改正后才能批准；运行 itsms check 查看",
        "{id} has {count} errors ({rules}); correct them before approving (itsms check shows them)",
    ),
    "ctl.approved": (
        "已批准 {id} {version} 版（批准人 {by}，{effective} 生效）",
        "approved {id} version {version} (by {by}, effective {effective})",
    ),
    "ctl.not_approved": (
        "{id} 的状态是 {status}，只有已批准的文件才能这样做",
        "{id} is {status}: only an approved document can be",
    ),
    "ctl.revised": (
        "已为 {id} 起草 {version} 版（现行 {old} 版在批准新版前继续有效）",
        "drafting {id} version {version} (version {old} stays in effect until the "
        "new one is approved)",
    ),
    "ctl.same": ("{id} 不能替代它自己", "{id} cannot supersede itself"),
    "ctl.superseded": (
        "{id} 已于 {on} 被 {by} 替代（双方均已记录，并记入修订历史）",
        "{id} is superseded by {by} on {on} (recorded on both sides and in their history)",
    ),
    "ctl.no_reason": ("请用 --reason 写明作废原因", "give the reason with --reason"),
    "ctl.withdrawn": ("{id} 已作废", "{id} is withdrawn"),
    "ctl.write_failed": (
        "写入失败，文件保持原样：{error}",
        "could not write; the files are as they were: {error}",
    ),
    # --- what each rule catches (SARIF rule descriptions; one line each) -------------
    "rule.encoding": ("文件不是 UTF-8 编码", "a file that is not UTF-8"),
    "rule.yaml-syntax": ("元数据（YAML）无法解析", "front matter that does not parse"),
    "rule.duplicate-key": (
        "同一映射中字段重复（YAML 只保留最后一个）",
        "a key given twice in one mapping (YAML keeps only the last)",
    ),
    "rule.schema": (
        "缺少字段、类型或取值错误、版本号未加引号",
        "a missing field, a wrong type or value, an unquoted version",
    ),
    "rule.duplicate-id": (
        "两个文件或两条记录使用同一编号",
        "two documents or two records with one id",
    ),
    "rule.unknown-reference": (
        "引用、替代关系、记录的程序或正文引用指向不存在的文件",
        "a reference, supersession, record procedure or citation naming no document",
    ),
    "rule.citation-title-mismatch": (
        "正文《标题》编号中的标题与该编号的文件标题不符",
        "a citation whose title is not the cited document's title",
    ),
    "rule.obsolete-reference": (
        "引用了已被替代或已作废的文件",
        "a reference to a superseded or withdrawn document",
    ),
    "rule.missing-approval": (
        "已批准或已替代的文件缺少批准人或批准日期",
        "approved or superseded without approved_by / approved_on",
    ),
    "rule.self-approval": ("批准人即编写人", "the approver is the author"),
    "rule.stale-approval": (
        "批准后内容被修改而未升版（指纹不符）",
        "changed after approval without a new version (fingerprint differs)",
    ),
    "rule.unsealed-approval": (
        "已批准但尚无指纹（如纸质批准）：请运行 itsms seal",
        "approved (e.g. on paper) but no fingerprint yet: run itsms seal",
    ),
    "rule.duplicate-entry": (
        "同一值在列表中出现两次",
        "a value listed twice in clauses, records, references or a RACI list",
    ),
    "rule.date-order": (
        "日期顺序错误：批准在未来、生效早于批准或修订历史乱序",
        "approval in the future, effective before approval, or history out of order",
    ),
    "rule.history-mismatch": (
        "修订历史缺少当前版本或版本号未递增",
        "the current version is missing from history, or versions do not increase",
    ),
    "rule.review-due": ("30 天内到期评审", "next review within 30 days"),
    "rule.review-overdue": ("评审已过期", "next review in the past"),
    "rule.unknown-role": ("角色不在 roles.yml 中", "a role that roles.yml lacks"),
    "rule.raci-accountable": ("活动没有恰好一个 A", "an activity without exactly one A"),
    "rule.unknown-clause": ("标准中没有该条款", "a clause id the standard does not have"),
    "rule.uncovered-clause": (
        "叶条款没有已批准且生效的文件覆盖",
        "a leaf clause no approved, effective document meets",
    ),
    "rule.no-evidence": (
        "已覆盖的叶条款在审核期内没有记录",
        "a covered leaf clause with no record in the audit period",
    ),
    "rule.unknown-record-type": (
        "记录的类型没有任何文件声明",
        "a record whose type no document declares",
    ),
    "rule.missing-evidence-file": (
        "记录的本地证据文件不存在",
        "a record's local evidence file is absent",
    ),
    "rule.evidence-hash-mismatch": (
        "证据文件与记录的 sha256 不符",
        "a record's evidence file does not match its sha256",
    ),
    "rule.retention-expired": ("记录已超过保存期限", "a record past its retention period"),
    "rule.evidence-gap": (
        "审核期内按规定频次（每月等）应有记录的期间没有记录",
        "a period of a declared cadence in the audit period with no record",
    ),
    "rule.unattributed-evidence": (
        "记录类型未声明证明哪些条款，其记录被算作程序全部条款的证据",
        "a record type that does not say which clauses it evidences (counted for all its procedure's)",
    ),
    "rule.retention-mismatch": (
        "记录的保存期限与其类型的规定不同",
        "a record kept for another period than its type's declaration",
    ),
    # --- interface ---------------------------------------------------------------------
    "ui.error": ("错误", "error"),
    "ui.warning": ("警告", "warning"),
    "ui.general": ("（全局）", "(corpus)"),
    "ui.more": ("（另有 {count} 处）", " (and {count} more)"),
    "ui.redacted": ("一份保密文件", "a confidential document"),
    "ui.citation": ("正文引用", "a citation in the text"),
    "ui.summary": (
        "检查完成（{as_of}，{standard}）：{documents} 个文件，{records} 条记录；"
        "错误 {errors}，警告 {warnings}；叶条款覆盖 {covered}/{leaves}，有证据 {evidenced}/{leaves}",
        "checked as of {as_of} against {standard}: {documents} documents, {records} records; "
        "{errors} errors, {warnings} warnings; leaf clauses covered {covered}/{leaves}, "
        "evidenced {evidenced}/{leaves}",
    ),
    "ui.no_git": (
        "不是 git 仓库：只使用工作目录中的文件，无法提供历史版本",
        "not a git repository: only the working tree is used, earlier versions are not available",
    ),
    "ui.progress": ("读取文件", "reading files"),
    "ui.written": ("已写入 {path}", "written: {path}"),
    "ui.trace_unknown": (
        "{target} 既不是标准的条款，也不是文件编号",
        "{target} is neither a clause of the standard nor a document id",
    ),
    "ui.trace_hidden": (
        "{target} 未发布（草稿、审核中或保密）；要看它请加 --preview 或 --include-confidential",
        "{target} is not published (a draft, under review or confidential); "
        "add --preview or --include-confidential to see it",
    ),
    "ui.pack_stopped": (
        "审核包未生成：检查有完整性错误，请先运行 itsms check 并改正",
        "no audit pack: the check has integrity errors; run itsms check",
    ),
    "ui.pack_written": (
        "审核包已生成（审核期 {period}）：{files} 个文件，其中证据 {evidence} 个：{path}",
        "audit pack for {period}: {files} files, {evidence} evidence files: {path}",
    ),
    "site.repository": (
        "站点目录 {path} 是仓库 {root} 本身或包含它，发布会替换仓库；请另指定 --site-dir",
        "the site folder {path} is, or contains, the repository {root}: publishing would "
        "replace it; name another --site-dir",
    ),
    "site.inside": (
        "站点目录 {path} 位于 {folder} 之内；请把站点放在源文件和 .git 之外",
        "the site folder {path} lies inside {folder}; put the site outside the sources and .git",
    ),
    "site.not_ours": (
        "{path} 已存在、不为空，且不是 itsms 生成的站点；itsms 会整体替换站点目录，"
        "请指定新的或空的目录",
        "{path} exists, is not empty and is not a site itsms made; itsms replaces the site "
        "folder whole: name a new or empty folder",
    ),
    "ui.build_stopped": (
        "门户未发布：以上问题须先改正；已发布的门户保持不变。",
        "the portal was not published: correct the problems above; the published site is unchanged.",
    ),
    "ui.built": (
        "门户已发布：{pages} 个页面，{files} 个文件：{path}",
        "portal published: {pages} pages, {files} files: {path}",
    ),
    "ui.excluded": ("删减", "excluded"),
    "status.draft": ("草稿", "draft"),
    "status.review": ("审核中", "under review"),
    "status.approved": ("已批准", "approved"),
    "status.superseded": ("已被替代", "superseded"),
    "status.withdrawn": ("已作废", "withdrawn"),
}

MESSAGES: Mapping[str, tuple[str, str]] = MappingProxyType({**_M, **IMPORT, **PORTAL})


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
