"""``itsms init DIR``: a new repository that checks with no errors and builds.

It never overwrites a file. A folder that holds anything is refused unless it
already is an itsms repository (its mkdocs.yml uses the itsms plugin); then only
the missing files are added.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from . import yamlread
from .settings import CONFIG_FILE, plugin_options

MKDOCS_YML = """\
site_name: {name}
# The portal's settings. site_name and plugins: [search, itsms] alone are enough for
# itsms build; the lines below are what it fills in, written out so that a plain
# mkdocs build / mkdocs serve works too.
docs_dir: content
theme:
  name: material
  language: zh
  font: false            # no request to Google Fonts: the intranet has no other host

plugins:
  - search:
      lang: zh           # Chinese full-text search (segmented by jieba)
  - itsms:
      standard: iso20000-1:2011          # or iso20000-1:2018
      review_warning_days: 30
      # Your own document numbers (the default is GZDS-ITSMS-QP-NN):
      # id_pattern: 'XX-ITSMS-(?:QM|QP|WI|PL|PO|QR)-[0-9]{{2,}}'
      # id_prefixes: {{procedure: XX-ITSMS-QP-, manual: XX-ITSMS-QM-}}
      severity:
        # While the procedures are still being written, a clause no approved
        # procedure meets is a warning; delete this line once they cover the standard.
        uncovered-clause: warning
"""

#: The roles ISO/IEC 20000-1 procedures name, by their Chinese names (ids are the names).
ROLES = (
    ("最高管理者", "信息部最高领导；批准服务管理方针、目标和计划，主持管理评审，提供资源。"),
    ("管理者代表", "最高管理者指定的体系负责人；组织内部审核和管理评审，报告体系业绩。"),
    ("过程负责人", "各服务管理过程的负责人；策划、推广、回顾和改进本过程。"),
    ("文件管理员", "受控文件的编号、发放、回收、归档和作废标识，维护文件清单。"),
    ("内审员", "实施内部审核，识别体系运行中的不符合；不审核自己部门的工作。"),
    ("服务台", "用户的单一联系点；受理、记录、分派和跟踪事件与服务请求。"),
    ("服务级别经理", "服务目录、服务级别协议和服务报告。"),
    ("事件经理", "事件管理与服务请求的处理和升级。"),
    ("问题经理", "问题管理：根本原因分析和已知错误。"),
    ("变更经理", "变更管理：评估、批准和回顾变更。"),
    ("配置管理员", "配置管理数据库和配置项的记录。"),
    ("发布经理", "发布和部署管理。"),
    ("信息安全经理", "信息安全管理。"),
    ("供应商经理", "供应商和合同管理。"),
    ("部门员工", "遵循方针和程序，报告发现的不符合，实施改进。"),
)

INDEX_MD = """\
# {name}

本门户发布本部门依据 ISO/IEC 20000-1 建立的服务管理体系文件：服务管理手册、程序文件和证据记录。
页面上方的搜索框可以全文检索中文内容。
"""

GITIGNORE = """\
# the published portal and its temporary folders (itsms build)
site/
.site.*
.itsms-*.lock
# what itsms reuses between builds (safe to delete)
.cache/
# Python
.venv/
__pycache__/
"""

README_MD = """\
# {name}

本仓库用 itsms（文件控制门户）管理服务管理体系文件。

| 目录 | 内容 |
|---|---|
| `content/` | 服务管理手册（`content/manual/`）、门户首页 `index.md`、角色目录 `roles.yml` |
| `procedures/` | 程序文件，一个文件一个 Markdown，以文件编号命名 |
| `records/` | 证据记录（`.yml` 或 `.md`），附件放在 `records/files/` |
| `mkdocs.yml` | 门户设置 |

常用命令：

```sh
itsms check                       # 检查全部文件和记录，给出问题所在的文件、行和改法
itsms new procedure --title 事件管理程序 --owner 过程负责人   # 从模板起草新程序文件
itsms approve 文件编号 --by 批准人   # 批准（写入批准人、日期、修订历史和指纹）
itsms seal --all                  # 为使用 itsms 之前已纸面批准的文件记录指纹
itsms build                       # 检查后发布门户到 site/
itsms serve                       # 本机预览 http://127.0.0.1:8000/
```

`content/roles.yml` 中的角色可以用 id 或名称引用；文件的 `owner` 和 `raci` 只能使用这里的角色。

请把本仓库纳入 git（`git init && git add . && git commit -m 建立体系文件库`）：门户从 git
历史中读取修订期间仍然有效的已批准版本和作废版本。
"""

EXAMPLE_TITLE = "文件控制程序"
EXAMPLE_OWNER = "文件管理员"


class InitError(Exception):
    """The folder cannot be made a repository (exit 2): a catalogue key and its fields."""

    def __init__(self, key: str, **params: str) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass
class Scaffold:
    root: Path
    written: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


def roles_yml() -> str:
    lines = ["# 角色目录：文件的 owner 和 raci 使用这里的角色（id 或名称）。"]
    for name, description in ROLES:
        lines += [f"- id: {name}", f"  name: {name}", f"  description: {description}"]
    return "\n".join(lines) + "\n"


def is_repository(root: Path) -> bool:
    """A folder whose mkdocs.yml uses the itsms plugin."""
    try:
        config = yamlread.parse_config((root / CONFIG_FILE).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yamlread.YamlError):
        return False
    return plugin_options(config) is not None


def _create(root: Path, rel: str, text: str, done: Scaffold) -> None:
    """Write a new file; an existing one is left as it is."""
    from .edit import write_atomic

    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        done.kept.append(rel)
        return
    os.close(fd)
    try:
        write_atomic(path, text)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    done.written.append(rel)


def init(root: Path, name: str | None = None) -> Scaffold:
    """Lay out the repository's files (the example procedure is added by the caller,
    with the document-control verb ``new``, once the rest is in place)."""
    if root.exists() and not root.is_dir():
        raise InitError("ctl.init_file", dir=str(root))
    if root.is_dir() and any(root.iterdir()) and not is_repository(root):
        raise InitError("ctl.init_not_empty", dir=str(root))
    title = name or "IT 服务管理体系"
    done = Scaffold(root)
    root.mkdir(parents=True, exist_ok=True)
    _create(root, CONFIG_FILE, MKDOCS_YML.format(name=title), done)
    _create(root, "content/roles.yml", roles_yml(), done)
    _create(root, "content/index.md", INDEX_MD.format(name=title), done)
    _create(root, "records/files/.gitkeep", "", done)
    _create(root, ".gitignore", GITIGNORE, done)
    _create(root, "README.md", README_MD.format(name=title), done)
    (root / "procedures").mkdir(exist_ok=True)
    return done
