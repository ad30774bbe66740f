"""Portal labels for the message catalogue (merged into ``i18n.MESSAGES``)."""

from __future__ import annotations

PORTAL: dict[str, tuple[str, str]] = {
    "tr.title": ("版本转换", "Transition"),
    "tr.verdict": ("结论", "Verdict"),
    "tr.from": ("来自 {source} 的条款", "From {source}"),
    "tr.documents": ("相关文件（待评审）", "Documents (to review)"),
    "tr.note": ("说明", "Note"),
    "tr.direct": ("直接覆盖", "covered directly"),
    "tr.crosswalk": ("经对照覆盖（待确认）", "covered through the crosswalk (to confirm)"),
    "tr.gap": ("缺口", "gap"),
    "tr.caption": (
        "从 {source} 转换到 {target}：{leaves} 个叶条款中直接覆盖 {direct} 个，"
        "经对照覆盖 {crosswalk} 个（须逐一确认），缺口 {gap} 个",
        "from {source} to {target}: of {leaves} leaf clauses, {direct} covered "
        "directly, {crosswalk} through the crosswalk (to confirm), {gap} gaps",
    ),
    "tr.intro": (
        "新版标准的每个叶条款：它来自旧版的哪些条款、引用这些旧条款的文件（需按新版评审），"
        "以及结论。文件可同时引用两个版本的条款：clauses: {{iso20000-1:2011: [...], "
        "iso20000-1:2018: [...]}}。",
        "Each leaf clause of the new edition: the old clauses it comes from, the "
        "documents citing those (to review against the new edition), and a verdict. "
        "A document can cite both: clauses: {{iso20000-1:2011: [...], "
        "iso20000-1:2018: [...]}}.",
    ),
    "view.caption": (
        "{standard}；审核期 {period}；截至 {as_of}",
        "{standard}; audit period {period}; as of {as_of}",
    ),
    "view.records_in_period": ("审核期内记录数", "Records in the period"),
    "view.record_ids": ("审核期内记录编号", "Record ids in the period"),
    "view.standard": ("标准", "Standard"),
    "view.period": ("审核期", "Audit period"),
    "view.as_of": ("截至日期", "As of"),
    "view.generated": ("生成时间（UTC）", "Generated (UTC)"),
    "view.rejected": ("不计为证据", "Not counted as evidence"),
    "nav.home": ("首页", "Home"),
    "nav.manual": ("服务管理手册", "Service management manual"),
    "nav.procedures": ("程序文件", "Procedures"),
    "nav.register": ("文件清单", "Document register"),
    "nav.clauses": ("条款覆盖", "Clause coverage"),
    "nav.raci": ("角色职责矩阵", "Roles and responsibilities (RACI)"),
    "nav.records": ("记录", "Records"),
    "nav.archive": ("已作废文件", "Obsolete documents"),
    "nav.other": ("其他", "Other pages"),
    # document header
    "f.id": ("文件编号", "Document id"),
    "f.title": ("标题", "Title"),
    "f.type": ("类型", "Type"),
    "f.version": ("版本", "Version"),
    "f.status": ("状态", "Status"),
    "f.owner": ("责任角色", "Owner"),
    "f.author": ("编写", "Author"),
    "f.approved_by": ("批准", "Approved by"),
    "f.approved_on": ("批准日期", "Approved on"),
    "f.effective": ("生效日期", "Effective"),
    "f.next_review": ("下次评审", "Next review"),
    "f.clauses": ("满足条款", "Clauses"),
    "f.classification": ("密级", "Classification"),
    "f.date": ("日期", "Date"),
    "f.summary": ("说明", "Summary"),
    "f.commit": ("提交", "Commit"),
    "f.activity": ("活动", "Activity"),
    "f.role": ("角色", "Role"),
    "f.description": ("职责说明", "Description"),
    "f.record": ("记录", "Record"),
    "f.record_type": ("记录类型", "Record type"),
    "f.procedure": ("产生文件", "Procedure"),
    "f.evidence": ("证据", "Evidence"),
    "f.hash": ("校验", "Hash check"),
    "f.count": ("数量", "Count"),
    "f.month": ("月份", "Month"),
    "f.documents": ("文件", "Documents"),
    "f.covered": ("覆盖", "Covered"),
    "f.evidenced": ("证据", "Evidence"),
    "f.latest": ("最近记录", "Latest record"),
    "f.clause": ("条款", "Clause"),
    "f.retention": ("保存期限（年）", "Retention (years)"),
    "f.replaced_by": ("替代文件", "Replaced by"),
    "f.reason": ("作废原因", "Reason"),
    "f.withdrawn_on": ("作废日期", "Withdrawn on"),
    "type.manual": ("手册", "manual"),
    "type.procedure": ("程序", "procedure"),
    "type.policy": ("方针", "policy"),
    "type.plan": ("计划", "plan"),
    "type.work-instruction": ("作业指导书", "work instruction"),
    "type.form": ("表单", "form"),
    "class.public": ("公开", "public"),
    "class.internal": ("内部", "internal"),
    "class.confidential": ("保密", "confidential"),
    # document page sections
    "doc.records": ("本文件产生的记录", "Records this document produces"),
    "doc.records_none": ("审核期内暂无记录", "no record in the audit period"),
    "doc.records_count": ("{count} 条（最近 {latest}）", "{count} (latest {latest})"),
    "doc.history": ("修订历史", "Revision history"),
    "doc.related": ("相关文件", "Related documents"),
    "doc.references": ("本文件引用", "This document refers to"),
    "doc.referenced_by": ("引用本文件的文件", "Referred to by"),
    "doc.raci": ("职责分配（RACI）", "Responsibilities (RACI)"),
    "doc.not_yet": (
        "本版本将于 {date} 生效，在此之前请使用现行版本。",
        "This version takes effect on {date}.",
    ),
    "banner.obsolete.title": ("已作废，不得使用", "Obsolete: do not use"),
    "banner.superseded": (
        "本文件已被 {by} 替代，仅供查阅历史。请使用现行文件。",
        "This document has been superseded by {by}; kept for reference "
        "only. Use the current document.",
    ),
    "banner.withdrawn": ("本文件已于 {date} 作废：{reason}", "Withdrawn on {date}: {reason}"),
    "banner.old_version": (
        "本版本（{version}）已被 {by} 替代，仅供查阅历史。请使用现行版本。",
        "This version ({version}) was replaced by {by}; for reference only. "
        "Use the current version.",
    ),
    "banner.revising": (
        "本文件正在修订（{version} 版{status}），修订版批准并生效前，本版本继续有效。",
        "A revision ({version}, {status}) is under way; this version stays in "
        "effect until the revision is approved and takes effect.",
    ),
    "doc.redline": ("与 {version} 版的差异", "Changes in version {version}"),
    "doc.redline_none": ("正文没有变化。", "The text did not change."),
    "doc.versions": ("历史版本", "Earlier versions"),
    "banner.draft.title": ("草稿，未批准，不得使用", "Draft: not approved, do not use"),
    "banner.review.title": ("审核中，未批准，不得使用", "Under review: not approved, do not use"),
    "banner.preview": (
        "这是预览版本，只供编写和审核人员查看。",
        "This is a preview build, for authors and reviewers only.",
    ),
    "print.uncontrolled": ("打印件为非受控副本", "Printed copies are uncontrolled"),
    # indexes
    "idx.manual": ("服务管理手册的各章。", "The chapters of the service management manual."),
    "idx.procedures": (
        "现行有效的程序文件及其他受控文件。",
        "The current procedures and other controlled documents.",
    ),
    "idx.archive": (
        "以下文件已被替代或作废，仅供查阅历史，不得使用。",
        "These documents were superseded or withdrawn: for reference only.",
    ),
    "idx.none": ("暂无。", "None."),
    "register.intro": (
        "全部受控文件的登记清单（{count} 份），可按列排序和筛选。",
        "Every controlled document ({count}); sort by a column, filter by text.",
    ),
    "register.filter": ("筛选…", "Filter…"),
    # dashboard
    "home.title": ("IT 服务管理体系文件门户", "IT service management document portal"),
    "home.state": ("合规状态（截至 {date}，{standard}）", "Compliance as of {date} ({standard})"),
    "home.covered": ("叶条款覆盖", "Leaf clauses covered"),
    "home.evidenced": ("审核期内有证据", "Evidenced in the audit period"),
    "home.period": ("审核期", "Audit period"),
    "home.by_status": ("文件状态", "Documents by status"),
    "home.reviews": ("评审到期", "Reviews due"),
    "home.reviews_none": ("30 天内没有到期的评审。", "No review due within 30 days."),
    "home.recent": ("最近批准", "Recent approvals"),
    "home.findings": ("待处理事项", "Open findings"),
    "home.findings_none": ("没有待处理事项。", "No open findings."),
    "home.overdue": ("已逾期 {days} 天", "overdue by {days} days"),
    "home.due": ("还有 {days} 天", "in {days} days"),
    # clauses
    "cl.intro": (
        "{standard}：叶条款 {leaves} 个，已覆盖 {covered} 个，审核期内有证据 {evidenced} 个。"
        "点击条款查看追溯：条款 → 文件 → 记录。",
        "{standard}: {leaves} leaf clauses, {covered} covered, {evidenced} evidenced in "
        "the audit period. Each clause links to its trace: clause -> documents -> "
        "records.",
    ),
    "cl.covered": ("已覆盖", "covered"),
    "cl.uncovered": ("未覆盖", "not covered"),
    "cl.excluded": ("删减", "excluded"),
    "cl.evidenced": ("有证据", "evidenced"),
    "cl.no_evidence": ("没有证据", "no evidence"),
    "cl.trace_docs": ("满足本条款的文件", "Documents that meet this clause"),
    "cl.candidates": ("引用本条款但尚未生效的文件", "Citing it, not yet in effect"),
    "cl.trace_records": (
        "审核期内的证据记录（{period}）",
        "Evidence in the audit period ({period})",
    ),
    "cl.older": ("审核期外另有 {count} 条记录。", "{count} more records outside the period."),
    "cl.justification": ("删减理由：{text}", "Excluded: {text}"),
    "cl.parent": ("上级条款", "Parent clause"),
    "cl.confidential": (
        "另有 {count} 份保密文件满足本条款（不在门户中发布）。",
        "{count} confidential documents also meet it (not published).",
    ),
    "hash.ok": ("一致", "matches"),
    "hash.bad": ("不一致", "MISMATCH"),
    "hash.none": ("—", "—"),
    "hash.missing": ("文件缺失", "file missing"),
    "trace.rejected": (
        "不计为证据（证据文件缺失或与 sha256 不一致）",
        "not counted as evidence (evidence file missing or not matching its sha256)",
    ),
    # raci
    "raci.roles": ("角色", "Roles"),
    "raci.by_process": ("角色 × 过程", "Roles x processes"),
    "raci.by_process_intro": (
        "每格为该角色在该过程各活动中最重的职责（A > R > C > I）。",
        "Each cell is the role's strongest letter in that process (A > R > C > I).",
    ),
    "raci.by_activity": ("角色 × 活动", "Roles x activities"),
    "raci.legend": (
        "R 执行，A 负责批准，C 咨询，I 知会。",
        "R responsible, A accountable, C consulted, I informed.",
    ),
    # records
    "rec.intro": (
        "证据记录 {count} 条；审核期 {period} 内 {in_period} 条。",
        "{count} evidence records; {in_period} in the audit period {period}.",
    ),
    "rec.by_clause": ("按条款", "By clause"),
    "rec.by_procedure": ("按程序", "By procedure"),
    "rec.by_month": ("按月份", "By month"),
    "rec.in_period": ("审核期内", "In the period"),
}
