"""Messages of ``itsms import`` for the message catalogue (merged into ``i18n.MESSAGES``)."""

from __future__ import annotations

IMPORT: dict[str, tuple[str, str]] = {
    "import.missing": ("找不到文件 {file}", "no such file: {file}"),
    "import.not_docx": (
        "{file} 不是可读的 Word 文件（.docx）或 Markdown 文件（.md）；"
        "旧版 .doc 请先在 Word 中另存为 .docx。未写入任何文件",
        "{file} is not a readable Word (.docx) or Markdown (.md) file; save an old .doc as "
        ".docx in Word first. Nothing was written",
    ),
    "import.not_utf8": (
        "{file} 不是 UTF-8 编码；请另存为 UTF-8 后再导入。未写入任何文件",
        "{file} is not UTF-8; save it as UTF-8 and import again. Nothing was written",
    ),
    "import.bad_yaml": (
        "{file} 的元数据无法解析：{problem}。未写入任何文件",
        "the front matter of {file} does not parse: {problem}. Nothing was written",
    ),
    "import.no_owner": (
        "{file} 没有写明归口角色；请用 --owner 指定（content/roles.yml 中的角色）。未写入任何文件",
        "{file} names no owner; give one with --owner (a role from content/roles.yml). "
        "Nothing was written",
    ),
    "import.done.draft": (
        "已导入 {source} → {file}（{id}，草稿）",
        "imported {source} -> {file} ({id}, draft)",
    ),
    "import.done.approved": (
        "已导入 {source} → {file}（{id}，纸质批准，已批准但尚无指纹：itsms check 报 "
        "unsealed-approval，核对后运行 itsms seal {id}）",
        "imported {source} -> {file} ({id}, approved on paper, no fingerprint yet: itsms check "
        "reports unsealed-approval; check it, then run itsms seal {id})",
    ),
    "import.images": (
        "  图片 {count} 个，保存在 {folder}/",
        "  pictures: {count}, saved in {folder}/",
    ),
    "import.note": ("  未能转换：{text}", "  not converted: {text}"),
    "import.info": ("  说明：{text}", "  note: {text}"),
    "import.note.id_new": (
        "文件未写编号，分配新编号 {id}",
        "no id in the file: given the next free id {id}",
    ),
    "import.note.id_pattern": (
        "编号 {given} 不符合设置的编号规则（id_pattern），改用 {id}",
        "the id {given} does not match the settings' id_pattern; given {id}",
    ),
    "import.note.id_taken": (
        "编号 {given} 已被其他文件使用，改用 {id}",
        "the id {given} is used by another document; given {id}",
    ),
    "import.note.title_file": (
        "文件中没有标题，按文件名取为「{title}」",
        "no title in the file: took the file name '{title}'",
    ),
    "import.note.bad_date": (
        "{field} 的「{value}」不是日期，未采用",
        "{field} '{value}' is not a date and was not used",
    ),
    "import.note.approver_no_date": (
        "批准人「{person}」没有批准日期，按草稿导入（未记批准人）",
        "approver '{person}' has no approval date: imported as a draft (approver not recorded)",
    ),
    "import.note.self_approval": (
        "编制人和批准人都是「{person}」：itsms check 将报 self-approval，须由他人批准",
        "'{person}' is both author and approver: itsms check reports self-approval; "
        "someone else must approve it",
    ),
    "import.note.bad_version": ("版本「{value}」无法识别", "version '{value}' is not recognised"),
    "import.note.version_default": (
        "文件未写版本，记为 {version}",
        "no version in the file: recorded as {version}",
    ),
    "import.note.version_mapped": (
        '版本「{value}」记为 "{version}"',
        "version '{value}' recorded as \"{version}\"",
    ),
    "import.note.author_default": (
        "文件未写编制人，记为 {person}",
        "no author in the file: recorded as {person}",
    ),
    "import.note.bad_field": (
        "字段 {field} 的值「{value}」无效，已按命令行选项填写",
        "field {field} '{value}' is not valid; filled from the options",
    ),
    "import.note.option": (
        "字段 {field} 的「{value}」按命令行选项改为 {new}",
        "field {field} '{value}' replaced by the option's {new}",
    ),
    "import.note.status_draft": (
        "状态 {status} 没有批准人和批准日期，按草稿导入",
        "status {status} without approver and date: imported as a draft",
    ),
    "import.note.header_row": (
        "表头中的「{label}：{value}」没有对应字段",
        "header row '{label}: {value}' has no matching field",
    ),
    "import.note.header_twice": (
        "表头中的「{label}：{value}」重复，只取第一个",
        "header row '{label}: {value}' is repeated; the first was used",
    ),
    "import.note.history": (
        "修订记录表的 {count} 行写入 history",
        "{count} rows of the revision table went into history",
    ),
    "import.note.version_history": (
        "表头未写版本，取修订记录中最新的 {version}",
        "no version in the header: took the latest in the revision table, {version}",
    ),
    "import.note.history_row": (
        "修订记录中的一行「{row}」没有可识别的版本或日期，未写入 history",
        "revision table row '{row}' has no recognisable version or date; not put in history",
    ),
    "import.note.history_column": (
        "修订记录的「{label}」列没有对应字段",
        "revision table column '{label}' has no matching field",
    ),
    "import.note.textbox": ("文本框「{text}」", "a text box '{text}'"),
    "import.note.shape": ("一个图形（不是图片）", "a drawing shape (not a picture)"),
    "import.note.image_format": (
        "图片 {name} 是浏览器不能显示的格式（如 EMF/WMF）；请在 Word 中把它另存为 PNG 后替换",
        "picture {name} is in a format browsers cannot show (e.g. EMF/WMF); save it as PNG "
        "in Word and replace it",
    ),
    "import.note.image_missing": (
        "图片 {ref} 在文件中找不到",
        "picture {ref} is missing from the file",
    ),
    "import.note.footnote": (
        "脚注或尾注（编号 {id}），请把内容并入正文",
        "a footnote or endnote ({id}): move its text into the body",
    ),
    "import.note.comment": ("批注「{text}」", "a comment '{text}'"),
    "import.note.field": (
        "域代码 {code}（只保留了显示的文字）",
        "a field {code} (only its shown text was kept)",
    ),
    "import.note.deleted": (
        "修订中删除的文字「{text}」（请在 Word 中接受或拒绝修订）",
        "text deleted in tracked changes '{text}' (accept or reject the changes in Word)",
    ),
    "import.note.nested_table": ("表格中的表格「{text}」", "a table inside a table '{text}'"),
    "import.note.page_header": (
        "页眉或页脚中的文字「{text}」",
        "text in a page header or footer '{text}'",
    ),
    "import.note.element": (
        "不支持的元素 {tag}「{text}」",
        "an unsupported element {tag} '{text}'",
    ),
}
