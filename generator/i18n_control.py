"""Messages of the document-control verbs (new, submit, approve, seal, revise, supersede,
withdraw, init): part of the one catalogue (``i18n.MESSAGES``), kept in a module of their
own so that the catalogue's modules stay readable."""

from __future__ import annotations

CONTROL: dict[str, tuple[str, str]] = {
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
    "ctl.prefix_pattern": (
        "设置 id_prefixes 中 {type} 的前缀生成的编号 {id} 不符合编号格式 id_pattern（{pattern}）；"
        "请改前缀或 id_pattern",
        "the id_prefixes setting for {type} gives the id {id}, which does not match "
        "id_pattern ({pattern}): change the prefix or id_pattern",
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
    "ctl.init_file": ("{dir} 是文件，不是文件夹", "{dir} is a file, not a folder"),
    "ctl.init_not_empty": (
        "{dir} 不是空文件夹，也不是 itsms 仓库（没有使用 itsms 插件的 mkdocs.yml）；"
        "请指定一个空的或新的文件夹",
        "{dir} is not empty and not an itsms repository (no mkdocs.yml using the itsms "
        "plugin); choose an empty or new folder",
    ),
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
    "ctl.changed_after_approval": (
        "{id} 的 {version} 版已经批准，批准后又被改动：同一版本号下的批准文字不能被替换。"
        "要发布改动，请 itsms revise {id} 起草新版本；如果是误改，请恢复批准时的文字"
        "（git checkout -- {file}）",
        "{id} version {version} was approved and has changed since: the approved text of a "
        "version is never replaced under the same number. To publish the change, draft a new "
        "version with itsms revise {id}; if it was a mistake, restore the approved text "
        "(git checkout -- {file})",
    ),
    "ctl.unsealed": (
        "{id} 已由 {by} 批准但尚未封存；请用 itsms seal {id} 记录指纹（不会改动批准人和日期）",
        "{id} was approved by {by} but is not sealed; itsms seal {id} records its fingerprint "
        "(approver and dates stay)",
    ),
    "ctl.seal_args": (
        "请写出要封存的文件编号，或用 --all 封存全部未封存的已批准文件（二者择一）",
        "name the documents to seal, or --all for every unsealed approved document (not both)",
    ),
    "ctl.seal_unapproved": (
        "{id} 缺少 approved_by 或 approved_on；请先补上纸面批准的批准人和日期",
        "{id} lacks approved_by or approved_on; write the paper approval's approver and date first",
    ),
    "ctl.sealed_already": ("{id} 已经封存且未改动", "{id} is sealed already and unchanged"),
    "ctl.seal_stale": (
        "{id} 已有指纹且与内容不符（批准后被改动）；封存不能掩盖改动，请 itsms revise {id}",
        "{id} has a fingerprint that does not match (changed after approval); sealing cannot "
        "hide that: itsms revise {id}",
    ),
    "ctl.seal_removed": (
        "{id} 的 {version} 版在 git 中已封存，工作副本删除了指纹；封存不能掩盖批准后的改动："
        "请恢复 fingerprint 一行（git checkout），或 itsms revise {id}",
        "{id} {version} was committed sealed and its fingerprint has been deleted; sealing "
        "cannot hide a change after approval: restore the fingerprint line (git checkout), "
        "or itsms revise {id}",
    ),
    "ctl.has_errors_seal": (
        "{id} 的检查有错误（{rules}），改正后才能封存；运行 itsms check 查看",
        "{id} has check errors ({rules}); correct them before sealing (itsms check shows them)",
    ),
    "ctl.sealed": (
        "已封存 {count} 个文件（批准人、日期、版本和正文不变，修订历史加注 纳入受控）；未封存：{skipped}",
        "sealed {count} documents (approver, dates, version and text unchanged; history notes "
        "纳入受控); not sealed: {skipped}",
    ),
    "ctl.evidence_seal_args": (
        "请写出要记录 sha256 的记录编号，或用 --all 记录全部尚无 sha256 的本地证据文件（二者择一）",
        "name the records whose sha256 to record, or --all for every local evidence file "
        "without one (not both)",
    ),
    "ctl.unknown_record": ("没有编号为 {id} 的记录", "no record has the id {id}"),
    "ctl.evidence_sealed_already": (
        "{id} 已记录 sha256 且与证据文件一致",
        "{id} has its sha256 recorded and its evidence file matches it",
    ),
    "ctl.evidence_seal_bad": (
        "{id} 的证据文件 {evidence} 与已记录的 sha256 不符；记录新值会掩盖改动：请核实文件，"
        "恢复原文件，或确认无误后手工改正 sha256",
        "{id}'s evidence file {evidence} does not match the recorded sha256; recording a new "
        "value would hide the change: check the file, restore it, or correct sha256 by hand",
    ),
    "ctl.evidence_seal_not_local": (
        "{id} 的证据 {evidence} 不是 records/ 下的本地文件，没有可记录的 sha256",
        "{id}'s evidence {evidence} is not a local file under records/: no sha256 to record",
    ),
    "ctl.evidence_seal_missing": (
        "{id} 的证据文件 {evidence} 不存在、是文件夹或在 records/ 之外；先改正 evidence",
        "{id}'s evidence file {evidence} is absent, a folder or outside records/; correct "
        "evidence first",
    ),
    "ctl.evidence_sealed": (
        "已为 {count} 条记录写入证据文件的 sha256（只加了 sha256 一行）：{ids}",
        "recorded the evidence file's sha256 of {count} records (only the sha256 line "
        "added): {ids}",
    ),
    "ctl.future": ("批准日期 {date} 晚于今天（{as_of}）", "approval date {date} is after {as_of}"),
    "ctl.backdated": (
        "批准日期 {date} 早于 {id} 修订历史中最近的日期 {last}：批准不能早于文件已有的版本和事件",
        "approval date {date} is before {last}, the latest date in the history of {id}: "
        "an approval cannot precede the versions and events already recorded",
    ),
    "ctl.backdated_previous": (
        "批准日期 {date} 早于现行版本 {version} 的批准日期 {previous}：新版本的批准不能早于上一版",
        "approval date {date} is before {previous}, when the version in force ({version}) "
        "was approved: a new version cannot be approved before the previous one",
    ),
    "ctl.backdated_created": (
        "批准日期 {date} 早于 {id} 首次提交到 git 的日期 {created}：批准不能早于文件存在",
        "approval date {date} is before {created}, when {id} was first committed to git: "
        "a document cannot be approved before it existed",
    ),
    "ctl.backdated_held": (
        "批准日期 {date} 早于 {held}，而 git 在 {held} 的提交 {commit} 中 {id} 仍是{status}"
        "（{version} 版）：批准不能早于文件仍在起草或审核的日期",
        "approval date {date} is before {held}, when git (commit {commit}) still held {id} "
        "{status} (version {version}): a document cannot be approved while still drafted "
        "or under review",
    ),
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
    "ctl.reviewed": (
        "已记录 {id}（{version} 版）{on} 的定期评审：无变更，下次评审 {next}；版本、批准和指纹不变",
        "recorded the periodic review of {id} ({version}) on {on}: no change, next review "
        "{next}; version, approval and fingerprint unchanged",
    ),
    "ctl.review_not_in_effect": (
        "{id} 已批准但 {effective} 才生效：生效前没有可评审的现行版本",
        "{id} is approved but takes effect on {effective}: until then there is no version "
        "in force to review",
    ),
    "ctl.review_not_approved": (
        "{id} 的状态是 {status}：只有已批准的现行文件才能记录定期评审（草稿请先批准，"
        "已作废或已替代的文件不再评审）",
        "{id} is {status}: only an approved document in force has periodic reviews (approve "
        "a draft first; a withdrawn or superseded document is not reviewed)",
    ),
    "ctl.review_future": (
        "评审日期 {date} 晚于今天（{as_of}）",
        "review date {date} is after {as_of}",
    ),
    "ctl.review_backdated": (
        "评审日期 {date} 早于 {id} 的批准日期或修订历史中最近的日期 {last}",
        "review date {date} is before {last}, the approval or latest history date of {id}",
    ),
    "ctl.review_next_before": (
        "下次评审日期 {next} 不晚于本次评审日期 {on}",
        "the next review ({next}) is not after this review ({on})",
    ),
    "ctl.no_reviewer": ("--by 写明的评审人为空", "the reviewer given with --by is empty"),
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
    "ctl.withdraw_revising": (
        "{id} 的工作副本是未批准的 {version} 版草稿，现行的是 {old} 版：作废的应是 {old} 版，"
        "不能让草稿成为作废版本；先放弃草稿（git checkout -- {file}，恢复 {old} 版），再作废",
        "the working copy of {id} is the unapproved draft {version}; {old} is in force: "
        "discard the draft first (git checkout -- {file} restores {old}), then withdraw it",
    ),
    "ctl.write_failed": (
        "写入失败，文件保持原样：{error}",
        "could not write; the files are as they were: {error}",
    ),
}
