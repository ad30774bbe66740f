"""What each rule catches, one line each (SARIF rule descriptions, the README's rule
table): part of the one catalogue (``i18n.MESSAGES``), kept in a module of its own so
that the catalogue's modules stay readable."""

from __future__ import annotations

RULES: dict[str, tuple[str, str]] = {
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
    "rule.unsealed-evidence": (
        "本地证据文件没有记录 sha256（itsms seal-evidence）",
        "a local evidence file without a recorded sha256 (itsms seal-evidence)",
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
    "rule.legacy-fingerprint": (
        "旧版指纹（sha256:）不覆盖批准人和日期，请用 itsms seal 升级",
        "an old sha256: fingerprint that does not cover the approver and dates (itsms seal)",
    ),
    "rule.record-clause-outside": (
        "记录自身的条款超出其程序满足的条款（不计为证据；全部超出则该记录不计为任何条款的证据）",
        "a record's own clauses beyond what its procedure meets (not counted; all beyond: the "
        "record counts for nothing)",
    ),
    "rule.unattributed-evidence": (
        "记录类型未声明证明哪些条款，其记录被算作程序全部条款的证据",
        "a record type that does not say which clauses it evidences "
        "(counted for all its procedure's)",
    ),
    "rule.retention-mismatch": (
        "记录的保存期限与其类型的规定不同",
        "a record kept for another period than its type's declaration",
    ),
}
