"""A synthetic, seeded corpus of realistic Chinese procedures and records.

    python bench/corpus.py --size M --out bench/corpus-M

Sizes: S = 30 documents / 300 records, M = 500 / 20,000, L = 2,000 / 100,000.
Documents are 4 to 20 KB of text with numbered steps, tables, a RACI, clauses of
ISO/IEC 20000-1:2011, a revision history and citations of other documents; every
approved one carries a correct fingerprint, so the corpus checks clean.

The first ``EDITABLE`` documents are what bench/serve.py edits: approved on paper and
not yet sealed (no fingerprint: an ``unsealed-approval`` warning, so a change to their
body or title keeps the repository valid) and cited by no other document (a new title
breaks no citation); each of their clauses is also met by another document.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator import fingerprint  # noqa: E402
from generator.standards import load_standard  # noqa: E402

SIZES = {"S": (30, 300), "M": (500, 20_000), "L": (2_000, 100_000)}
AS_OF = dt.date(2026, 11, 27)
ROLES = [
    ("top-management", "最高管理者"),
    ("management-rep", "管理者代表"),
    ("process-owner", "过程负责人"),
    ("service-manager", "服务经理"),
    ("internal-auditor", "内审员"),
    ("staff", "部门员工"),
    ("service-desk", "服务台"),
    ("ops-engineer", "运维工程师"),
    ("change-manager", "变更经理"),
    ("security-officer", "信息安全管理员"),
    ("document-controller", "文件管理员"),
    ("user-dept", "业务部门用户"),
]
TOPICS = [
    "事件",
    "问题",
    "配置",
    "变更",
    "发布",
    "可用性",
    "连续性",
    "能力",
    "服务级别",
    "服务报告",
    "信息安全",
    "供应商",
    "预算",
    "文件",
    "记录",
    "培训",
    "内部审核",
    "管理评审",
    "机房巡检",
    "备份恢复",
    "网络运维",
    "数据库运维",
    "桌面运维",
    "应急响应",
]
PLACES = ["省局数据中心", "市州局机房", "灾备中心", "办税服务厅", "网上办税服务厅"]
SYSTEMS = [
    "金税三期核心征管系统",
    "电子税务局",
    "增值税发票管理系统",
    "个人所得税系统",
    "数据仓库",
    "办公自动化系统",
]
VERBS = [
    "受理",
    "登记",
    "分类",
    "评估",
    "审批",
    "实施",
    "验证",
    "关闭",
    "回顾",
    "通报",
    "监视",
    "测量",
    "分析",
    "改进",
    "归档",
]
PEOPLE = ["张伟", "王芳", "李强", "刘洋", "陈静", "杨磊", "赵敏", "黄涛", "周婷", "吴军"]
PERSONS_APPROVE = ["王芳", "张伟"]
EDITABLE = 10


def editable_ids(size: str) -> list[str]:
    """The documents bench/serve.py may edit (see the module's docstring)."""
    return [f"GZDS-ITSMS-QP-{n:04d}" for n in range(1, min(EDITABLE, SIZES[size][0]) + 1)]


def sentence(rng: random.Random) -> str:
    return (
        f"{rng.choice(ROLES)[1]}应在{rng.randint(1, 30)}个工作日内对"
        f"{rng.choice(SYSTEMS)}的{rng.choice(TOPICS)}事项进行{rng.choice(VERBS)}，"
        f"并在{rng.choice(PLACES)}留存{rng.choice(TOPICS)}记录，"
        f"结果报{rng.choice(ROLES)[1]}{rng.choice(VERBS)}。"
    )


def body(rng: random.Random, target: int, cites: list[tuple[str, str]]) -> str:
    parts = [
        "## 1 目的\n",
        sentence(rng) + sentence(rng) + "\n",
        "## 2 适用范围\n",
        sentence(rng) + "\n",
        "## 3 职责\n",
    ]
    parts += [f"- **{name}**：{sentence(rng)}" for _, name in rng.sample(ROLES, 4)]
    parts.append("\n## 4 工作程序\n")
    step = 0
    while sum(len(p.encode()) for p in parts) < target:
        step += 1
        parts.append(f"### 4.{step} {rng.choice(TOPICS)}{rng.choice(VERBS)}\n")
        parts += [f"{n}. {sentence(rng)}" for n in range(1, rng.randint(3, 7))]
        if step % 3 == 0:
            parts.append("\n| 级别 | 响应时限 | 解决时限 | 通报对象 |\n|---|---|---|---|")
            parts += [
                f"| P{k} | {k * 15} 分钟 | {k * 4} 小时 | {rng.choice(ROLES)[1]} |"
                for k in range(1, 5)
            ]
        parts.append("")
    parts.append("## 5 相关文件\n")
    parts += [f"- 《{title}》{cid}" for cid, title in cites]
    parts.append("\n## 6 记录\n\n| 记录名称 | 保存部门 | 保存期限 |\n|---|---|---|")
    parts.append("| 工作记录 | 信息部 | 3 年 |\n")
    return "\n".join(parts)


def generate(size: str, out: Path, seed: int = 20261127) -> None:
    n_docs, n_records = SIZES[size]
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "procedures").mkdir(parents=True)
    (out / "content").mkdir()
    leaves = [c.id for c in load_standard("iso20000-1:2011").leaves]
    roles = {"roles": [{"id": r, "name": n, "description": f"{n}的职责"} for r, n in ROLES]}
    (out / "content/roles.yml").write_text(yaml.safe_dump(roles, allow_unicode=True), "utf-8")
    (out / "content/index.md").write_text("# 基准门户\n\n合成的文件集。\n", "utf-8")
    ids = [f"GZDS-ITSMS-QP-{n:04d}" for n in range(1, n_docs + 1)]
    titles = {i: f"{TOPICS[n % len(TOPICS)]}管理程序（第{n + 1}号）" for n, i in enumerate(ids)}
    editable = set(editable_ids(size))
    for n, doc_id in enumerate(ids):
        approved_on = AS_OF - dt.timedelta(days=rng.randint(40, 300))
        cites = [
            (c, titles[c])
            for c in rng.sample(ids, min(3, len(ids)))
            if c != doc_id and c not in editable
        ]
        clauses = [leaves[(2 * n) % len(leaves)], leaves[(2 * n + 1) % len(leaves)]]

        meta = {
            "id": doc_id,
            "title": titles[doc_id],
            "type": "procedure",
            "version": f"{rng.randint(1, 3)}.{rng.randint(0, 5)}",
            "status": "approved",
            "owner": rng.choice(ROLES)[0],
            "author": PEOPLE[n % len(PEOPLE)],
            "approved_by": PERSONS_APPROVE[0] if PEOPLE[n % len(PEOPLE)] != "王芳" else "张伟",
            "approved_on": approved_on,
            "effective": approved_on + dt.timedelta(days=5),
            "classification": "internal",
            "clauses": sorted(set(clauses)),
            "records": ["工作记录", f"{TOPICS[n % len(TOPICS)]}报告"],
            "references": [c for c, _ in cites],
            "raci": [
                {
                    "activity": f"{rng.choice(TOPICS)}{verb}",
                    "R": ["staff"],
                    "A": rng.choice(ROLES)[0],
                    "C": ["process-owner"],
                    "I": ["user-dept"],
                }
                for verb in rng.sample(VERBS, 4)
            ],
        }
        meta["history"] = [
            {
                "version": meta["version"],
                "date": approved_on,
                "author": meta["author"],
                "approved_by": meta["approved_by"],
                "summary": "发布",
            }
        ]
        text = body(rng, rng.randint(4_000, 20_000), cites)
        if doc_id not in editable:
            meta["fingerprint"] = fingerprint.compute(
                yaml.safe_load(yaml.safe_dump(meta, allow_unicode=True)), text
            )
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
        (out / "procedures" / f"{doc_id}.md").write_text(f"---\n{front}---\n{text}", "utf-8")
    for n in range(n_records):
        proc = ids[n % len(ids)]
        day = AS_OF - dt.timedelta(days=rng.randint(0, 360))
        rec = {
            "id": f"R-{n:06d}",
            "title": f"{day:%Y年%m月}{titles[proc][:-5]}工作记录",
            "type": "工作记录",
            "procedure": proc,
            "date": day,
            "owner": rng.choice(ROLES)[0],
            "evidence": f"http://itsm.gzds.local/records/{n:06d}",
            "retention_years": 3,
            "classification": "internal",
        }
        folder = out / "records" / f"{day:%Y}" / f"{day:%m}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"R-{n:06d}.yml").write_text(
            yaml.safe_dump(rec, allow_unicode=True, sort_keys=False), "utf-8"
        )
    (out / "mkdocs.yml").write_text(
        "site_name: 基准门户\ndocs_dir: content\ntheme:\n  name: material\n  language: zh\n"
        "  font: false\nplugins:\n  - search:\n      lang: zh\n  - itsms\n",
        "utf-8",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="S")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=20261127)
    args = parser.parse_args()
    out = args.out or Path(__file__).parent / f"corpus-{args.size}"
    generate(args.size, out, args.seed)
    print(out)


if __name__ == "__main__":
    main()
