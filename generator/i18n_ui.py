"""The command line's own words (labels, summaries, progress, what a verb did): part of
the one catalogue (``i18n.MESSAGES``), kept in a module of its own so that the
catalogue's modules stay readable."""

from __future__ import annotations

UI: dict[str, tuple[str, str]] = {
    "ui.error": ("错误", "error"),
    "ui.warning": ("警告", "warning"),
    "ui.general": ("（全局）", "(corpus)"),
    "ui.more": ("（另有 {count} 处）", " (and {count} more)"),
    "ui.redacted": ("一份保密文件", "a confidential document"),
    "ui.unpublished": ("一份未发布的文件", "an unpublished document"),
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
    "ui.serving": (
        "预览：{url}（修改文件后页面自动刷新；按 Ctrl+C 停止）",
        "previewing on {url} (pages reload when a file changes; Ctrl+C stops)",
    ),
    "ui.serve_text": (
        "已更新 {pages} 个页面（只改了正文），用时 {seconds} 秒",
        "{pages} pages made again (a text changed) in {seconds} s",
    ),
    "ui.serve_pages": (
        "已重新检查，更新 {pages} 个页面，用时 {seconds} 秒",
        "checked again; {pages} pages made again in {seconds} s",
    ),
    "ui.serve_port": (
        "无法在 {addr} 上提供预览：{error}。请用 --dev-addr 换一个端口",
        "cannot serve on {addr}: {error}. Choose another port with --dev-addr",
    ),
    "ui.serve_full": (
        "已重新生成整个门户，用时 {seconds} 秒",
        "whole portal built again in {seconds} s",
    ),
    "ui.serve_failed": (
        "未能更新预览：{error}。改正后保存，预览将再次更新",
        "the preview was not updated: {error}. Save the corrected file and it updates again",
    ),
    "ui.written": ("已写入 {path}", "written: {path}"),
    "ui.trace_unknown": (
        "{target} 不是标准的条款，也不是已发布的文件编号；草稿、审核中或保密的文件"
        "请加 --preview 或 --include-confidential",
        "{target} is neither a clause of the standard nor the id of a published document; "
        "for drafts, documents under review or confidential ones add --preview or "
        "--include-confidential",
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
    "docs.outside": (
        "mkdocs.yml 的 docs_dir（{path}）不在仓库 {root} 之内，或就是仓库本身；"
        "MkDocs 会把它里面的每个文件复制进站点，请改为 content",
        "docs_dir in mkdocs.yml ({path}) is not inside the repository {root}, or is the "
        "repository itself; MkDocs copies every file in it into the site: use content",
    ),
    "docs.source": (
        "mkdocs.yml 的 docs_dir（{path}）位于 {folder}/ 之内；那里的文件只能经检查后发布，"
        "请改为 content",
        "docs_dir in mkdocs.yml ({path}) lies inside {folder}/, whose files are published "
        "only through the check: use content",
    ),
    "ui.os_error": (
        "无法读写 {path}：{error}",
        "cannot read or write {path}: {error}",
    ),
    "ui.interrupted": ("已中断。", "Aborted."),
    "ui.build_stopped": (
        "门户未发布：以上问题须先改正；已发布的门户保持不变。",
        "the portal was not published: correct the problems above; the published site is unchanged.",
    ),
    "ui.built": (
        "门户已发布：{pages} 个页面，{files} 个文件：{path}",
        "portal published: {pages} pages, {files} files: {path}",
    ),
    "ui.built_quick": (
        "（只有文件正文有改动：重新生成 {remade} 个页面，其余沿用上次发布）",
        "(only documents' texts changed: pages made again: {remade}; the rest is the last build's)",
    ),
    "ui.built_same": (
        "（门户所用的文件自上次发布以来没有改动：沿用上次发布的内容）",
        "(nothing the portal is made from changed since the last build: the site is as it was)",
    ),
    "ui.init_written": ("已建立 {file}", "created {file}"),
    "ui.init_kept": ("{file} 已存在，保持不变", "{file} exists already and is kept as it is"),
    "ui.init_done": (
        "仓库已就绪：cd {root} && itsms check && itsms build（门户在 site/；itsms serve 本机预览）",
        "the repository is ready: cd {root} && itsms check && itsms build (the portal is in "
        "site/; itsms serve previews it)",
    ),
    "ui.theme_needed": (
        "mkdocs.yml 没有指定 Material 主题：门户需要 theme: {{name: material, language: zh, "
        "font: false}}。itsms build 会自动补上，mkdocs build 不能（MkDocs 在插件运行前就已载入主题）",
        "mkdocs.yml names no Material theme: the portal needs theme: {{name: material, "
        "language: zh, font: false}}. itsms build fills it in, mkdocs build cannot (MkDocs "
        "loads the theme before any plugin runs)",
    ),
    "ui.excluded": ("删减", "excluded"),
    "status.draft": ("草稿", "draft"),
    "status.review": ("审核中", "under review"),
    "status.approved": ("已批准", "approved"),
    "status.approved_pending": ("已批准（待生效）", "approved, not yet in effect"),
    "status.superseded": ("已被替代", "superseded"),
    "status.withdrawn": ("已作废", "withdrawn"),
}
