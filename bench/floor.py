"""The floor: read every file of a corpus and parse its front matter with PyYAML's
C loader, nothing else. (What itsms check cannot do with less.)"""

from __future__ import annotations

import os
import sys

import yaml


def main(root: str) -> int:
    count = 0
    for top in ("content", "procedures", "records"):
        for folder, _, names in os.walk(os.path.join(root, top)):
            for name in names:
                if not name.endswith((".md", ".yml", ".yaml")):
                    continue
                with open(os.path.join(folder, name), encoding="utf-8") as handle:
                    text = handle.read()
                if name.endswith(".md"):
                    if not text.startswith("---\n"):
                        continue
                    text = text[4 : text.find("\n---\n", 4)]
                yaml.load(text, Loader=yaml.CSafeLoader)
                count += 1
    return count


if __name__ == "__main__":
    print(main(sys.argv[1]))
