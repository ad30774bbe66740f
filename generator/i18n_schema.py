"""Schema messages' words: how a field is named and what each field expects, in
Chinese and English (merged into generator.i18n's one catalogue). ``schema.expect.*``
is keyed by the schema's definition ($defs) or by the field; ``schema.shape.*`` says
what was written instead, never in a programming language's type names."""

from __future__ import annotations

SCHEMA: dict[str, tuple[str, str]] = {
    "schema.root.document": ("元数据", "the front matter"),
    "schema.root.record": ("记录", "the record"),
    "schema.root.roles": ("角色目录", "the role catalogue"),
    "schema.root.settings": ("设置", "the settings"),
    # the itsms settings block of mkdocs.yml (plugins: - itsms: {...}): unusable settings
    "settings.invalid": (
        "{origin} 中的 itsms 设置有误，无法运行：{problems}",
        "{origin}: the itsms settings cannot be used: {problems}",
    ),
    "settings.not_mapping": (
        "itsms 的设置应为「键: 值」映射，如 itsms: {{standard: iso20000-1:2018}}",
        "the itsms settings should be a mapping, e.g. itsms: {{standard: iso20000-1:2018}}",
    ),
    "settings.unknown": (
        "未知设置 {field}（拼写错误？）；可用的设置：{known}",
        "unknown setting {field} (a typo?); the settings are: {known}",
    ),
    "settings.unknown_rule": (
        "severity 中的「{value}」不是规则代码，这一项不会起作用；规则代码见 README 的规则表",
        "'{value}' under severity is no rule code, so it would change nothing; the rule "
        "codes are in the README's rule table",
    ),
    "settings.unknown_rule.near": (
        "severity 中的「{value}」不是规则代码，这一项不会起作用；是否应为 {near}？",
        "'{value}' under severity is no rule code, so it would change nothing; did you mean "
        "{near}?",
    ),
    "settings.id_pattern": (
        "id_pattern 的值「{value}」不是有效的正则表达式（第 {pos} 个字符处出错）；"
        "应为文件编号须匹配的正则表达式，如 ^GZDS-ITSMS-(QM|QP|WI|FM)-[0-9]{{2,3}}$",
        "id_pattern '{value}' is not a regular expression ({error}, at character {pos}); it "
        "should be the regular expression document ids match, e.g. "
        "^GZDS-ITSMS-(QM|QP|WI|FM)-[0-9]{{2,3}}$",
    ),
    "settings.transition_both": (
        "transition_to 和 transition_from 只能写一个：换版页把当前标准与另一个版本比较",
        "transition_to and transition_from are both given; the transition page compares the "
        "standard with one other edition",
    ),
    "settings.period_form": (
        "期间「{value}」应写成 起..止，如 2025-12-01..2026-11-30",
        "period '{value}' should be FROM..TO, e.g. 2025-12-01..2026-11-30",
    ),
    "settings.period_date": (
        "期间「{value}」中有无效的日期；应为 YYYY-MM-DD，如 2025-12-01..2026-11-30",
        "period '{value}' holds an invalid date; dates are YYYY-MM-DD, e.g. 2025-12-01..2026-11-30",
    ),
    "settings.period_order": (
        "期间「{value}」的结束日期早于开始日期",
        "period '{value}' ends before it starts",
    ),
    "settings.unreadable": ("无法读取 {path}：{error}", "cannot read {path}: {error}"),
    "settings.yaml": (
        "{path} 第 {line} 行第 {column} 列不是有效的 YAML：{problem}",
        "{path}:{line}:{column}: not valid YAML: {problem}",
    ),
    "settings.unknown_standard": (
        "standard 的值「{value}」不是已知的标准；可用的标准：{known}"
        "（其他条款目录放在 standards_dir 指定的文件夹中）",
        "standard '{value}' is not a known standard; known: {known} (more catalogues go in "
        "the folder standards_dir names)",
    ),
    # what each setting expects (schema.expect.<setting>)
    "schema.expect.standard": (
        "标准编号（一段文字），如 iso20000-1:2018",
        "a standard's id (text), e.g. iso20000-1:2018",
    ),
    "schema.expect.standards_dir": (
        "条款目录所在的文件夹，相对仓库根目录，如 standards",
        "the folder of clause catalogues, relative to the repository, e.g. standards",
    ),
    "schema.expect.transition_to": (
        "较新的标准编号，如 iso20000-1:2018",
        "a newer edition's id, e.g. iso20000-1:2018",
    ),
    "schema.expect.transition_from": (
        "较旧的标准编号，如 iso20000-1:2011",
        "an older edition's id, e.g. iso20000-1:2011",
    ),
    "schema.expect.audit_period": (
        "审核期 起..止，如 2025-12-01..2026-11-30",
        "the audit period FROM..TO, e.g. 2025-12-01..2026-11-30",
    ),
    "schema.expect.exclusions": (
        '删减列表，每项如 {{clause: "7.2", justification: 无供应商外包服务}}',
        'a list of exclusions, each like {{clause: "7.2", justification: …}}',
    ),
    "schema.expect.exclusions.item": (
        "一项删减 {{clause: 条款号, justification: 理由}}",
        "one exclusion {{clause: clause id, justification: reason}}",
    ),
    "schema.expect.justification": ("删减理由（一段文字）", "the reason (text)"),
    "schema.expect.review_warning_days": (
        "下次评审前提前提醒的天数，0 到 3650 的整数",
        "days of warning before a review, a whole number from 0 to 3650",
    ),
    "schema.expect.id_pattern": (
        "文件编号须匹配的正则表达式，如 ^GZDS-ITSMS-(QM|QP|WI|FM)-[0-9]{{2,3}}$",
        "the regular expression document ids match, e.g. ^GZDS-ITSMS-(QM|QP|WI|FM)-[0-9]{{2,3}}$",
    ),
    "schema.expect.id_prefixes": (
        "各类文件的编号前缀，如 {{procedure: GZDS-ITSMS-QP-}}（不能含 / 或 \\）",
        "the id prefix per document type, e.g. {{procedure: GZDS-ITSMS-QP-}} (no / or \\)",
    ),
    "schema.expect.severity": (
        "按规则代码调整级别，如 {{review-due: off}}（error、warning 或 off）",
        "a level per rule code, e.g. {{review-due: off}} (error, warning or off)",
    ),
    "schema.expect.search_index_mb": (
        "搜索索引上限（MB），不小于 0 的数字（0 表示不限）",
        "the search index limit in MB, a number from 0 (0: no limit)",
    ),
    "schema.expect.enabled": ("true 或 false", "true or false"),
    "schema.role_item": ("第 {n} 个角色{rest}", "role {n}{rest}"),
    # what a field expects (schema.expect.<$defs name>, <field>, <field>.item, type.<json type>)
    "schema.expect.role": (
        "一个角色：content/roles.yml 中某个角色的 id 或名称（如 管理者代表），前后不能有空格或控制字符",
        "a role's id or name from content/roles.yml (e.g. 管理者代表), without surrounding "
        "spaces or control characters",
    ),
    "schema.expect.roleName": ("角色名称（一段文字）", "the role's name (text)"),
    "schema.expect.roleList": (
        "角色列表，如 [过程负责人, 服务台]",
        "a list of roles, e.g. [过程负责人, 服务台]",
    ),
    "schema.expect.version": (
        '加引号的版本号"主版本.次版本"，如 "1.0"、"2.10"',
        'a quoted version "MAJOR.MINOR", e.g. "1.0", "2.10"',
    ),
    "schema.expect.date": ("日期 YYYY-MM-DD，如 2026-03-15", "a date YYYY-MM-DD, e.g. 2026-03-15"),
    "schema.expect.clause": (
        '加引号的条款号，如 "4.5.4.3"',
        'a quoted clause id, e.g. "4.5.4.3"',
    ),
    "schema.expect.clauseList": (
        '条款号列表，如 ["4.1", "4.5.4.3"]',
        'a list of clause ids, e.g. ["4.1", "4.5.4.3"]',
    ),
    "schema.expect.clauseMap": (
        '按标准分列的条款号，如 {{iso20000-1:2018: ["4.1"]}}',
        'clause ids by standard, e.g. {{iso20000-1:2018: ["4.1"]}}',
    ),
    "schema.expect.clauses": (
        '条款号列表（如 ["4.1", "4.5.4.3"]），或按标准分列的条款号（如 {{iso20000-1:2018: ["4.1"]}}）',
        'a list of clause ids (e.g. ["4.1", "4.5.4.3"]) or clause ids by standard '
        '(e.g. {{iso20000-1:2018: ["4.1"]}})',
    ),
    "schema.expect.text": ("一段文字（不超过 2000 字）", "text (at most 2000 characters)"),
    "schema.expect.line": (
        "一行文字（不含换行符和控制字符，不超过 2000 字）",
        "one line of text (no line break or control character, at most 2000 characters)",
    ),
    "schema.expect.person": ("人名", "a person's name"),
    "schema.expect.idList": (
        "文件编号列表，如 [GZDS-ITSMS-QP-18]",
        "a list of document ids, e.g. [GZDS-ITSMS-QP-18]",
    ),
    "schema.expect.id": ("文件编号，如 GZDS-ITSMS-QP-18", "a document id, e.g. GZDS-ITSMS-QP-18"),
    "schema.expect.records": (
        "本文件产生的记录类型列表，如 [管理评审记录]",
        "a list of the record types this document produces, e.g. [管理评审记录]",
    ),
    "schema.expect.records.item": (
        '记录类型名称（如 管理评审记录），或 {{type: 月度服务报告, every: month, clauses: ["6.2"]}}',
        'a record type name (e.g. 管理评审记录), or {{type: …, every: month, clauses: ["6.2"]}}',
    ),
    "schema.expect.review_months": (
        "评审周期的月数，1 到 120 的整数",
        "the review period in months, a whole number from 1 to 120",
    ),
    "schema.expect.fingerprint": (
        "由 itsms approve 或 itsms seal 写入的指纹 sha256:…（请勿手改）",
        "the fingerprint sha256:… written by itsms approve or itsms seal (do not edit it)",
    ),
    "schema.expect.raci": (
        "活动列表，每项如 {{activity: 评审, R: [过程负责人], A: 管理者代表}}",
        "a list of activities, each like {{activity: review, R: [过程负责人], A: 管理者代表}}",
    ),
    "schema.expect.raci.item": (
        "一项活动 {{activity: …, R: [角色], A: 角色, C: [角色], I: [角色]}}",
        "one activity {{activity: …, R: [roles], A: role, C: [roles], I: [roles]}}",
    ),
    "schema.expect.A": (
        "恰好一个角色（或只含一个角色的列表）",
        "exactly one role (or a list of one role)",
    ),
    "schema.expect.history": (
        '修订历史列表，每项如 {{version: "1.0", date: 2026-03-01, summary: 首次发布}}',
        'a list of history entries, each like {{version: "1.0", date: 2026-03-01, summary: …}}',
    ),
    "schema.expect.history.item": (
        "一条修订记录 {{version, date, author, approved_by, summary}}",
        "one history entry {{version, date, author, approved_by, summary}}",
    ),
    "schema.expect.commit": (
        "git 提交号（7 到 40 位十六进制）",
        "a git commit (7 to 40 hexadecimal digits)",
    ),
    "schema.expect.sha256": (
        "证据文件的 sha256（64 位十六进制）",
        "the evidence file's sha256 (64 hexadecimal digits)",
    ),
    "schema.expect.retention_years": (
        "保存年限，0 到 100 的整数",
        "the retention period in years, a whole number from 0 to 100",
    ),
    "schema.expect.evidence": (
        "证据文件的路径（相对 records/）或网址",
        "the evidence file's path (relative to records/) or a URL",
    ),
    "schema.expect.procedure": (
        "产生本记录的文件编号，如 GZDS-ITSMS-QP-18",
        "the id of the document that produces this record, e.g. GZDS-ITSMS-QP-18",
    ),
    "schema.expect.roles": (
        "角色列表，每项 {{id, name, description}}",
        "a list of roles, each {{id, name, description}}",
    ),
    "schema.expect.roles.item": (
        "一个角色 {{id: 管理者代表, name: 管理者代表, description: …}}",
        "one role {{id: 管理者代表, name: 管理者代表, description: …}}",
    ),
    "schema.expect.description": ("一段说明文字", "a description (text)"),
    "schema.expect.root.document": (
        "「字段: 值」形式的元数据（id、title、type、version、status、owner、author …）",
        "front matter of 'field: value' lines (id, title, type, version, status, owner, author …)",
    ),
    "schema.expect.root.record": (
        "「字段: 值」形式的记录（id、title、type、procedure、date、owner、evidence …）",
        "a record of 'field: value' lines (id, title, type, procedure, date, owner, evidence …)",
    ),
    "schema.expect.root.roles": (
        "角色列表（每项 id、name、description），可直接写列表，也可写在 roles: 之下",
        "a list of roles (each id, name, description), as the file itself or under roles:",
    ),
    "schema.expect.type.string": ("一段文字", "text"),
    "schema.expect.type.integer": ("整数", "a whole number"),
    "schema.expect.type.number": ("数字", "a number"),
    "schema.expect.type.boolean": ("true 或 false", "true or false"),
    "schema.expect.type.array": ("列表，如 [甲, 乙]", "a list, e.g. [a, b]"),
    "schema.expect.type.object": ("「键: 值」映射", "a mapping of 'key: value'"),
    "schema.expect.type.value": ("规定的写法", "the documented form"),
    # what was written instead
    "schema.shape.null": ("空值", "nothing (null)"),
    "schema.shape.bool": ("{value}", "{value}"),
    "schema.shape.number": ("数字 {value}", "the number {value}"),
    "schema.shape.date": ("日期 {value}", "the date {value}"),
    "schema.shape.text": ("文字「{value}」", "the text '{value}'"),
    "schema.shape.list": ("列表", "a list"),
    "schema.shape.mapping": ("「键: 值」映射", "a mapping"),
}
