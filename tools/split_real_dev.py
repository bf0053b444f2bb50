"""Split a labelled JSON Lines file into a development part and a held-out part, by whole source.

    python tools/split_real_dev.py ../shared/data/real_dev.jsonl --out .eval

writes `.eval/dev.jsonl` and `.eval/holdout.jsonl` (the folder is git-ignored: the messages are third-party
text and never enter the repo). A source group (a GitHub repository, a web site) lands in the held-out part
when a salted hash of its name is 0 modulo 5, so the split is fixed, needs no list of ids, and keeps every
message of a source on one side. Rules are tuned on dev.jsonl only; holdout.jsonl is scored once, at the end.
"""
from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

from linter.evaluate import source_group

SALT = "holdout-4"  # chosen, by counts only, for a held-out part of about a fifth with every family represented


def is_holdout(group: str) -> bool:
    return int(hashlib.sha256((SALT + group).encode()).hexdigest(), 16) % 5 == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--out", type=Path, default=Path(".eval"))
    args = parser.parse_args()
    lines = [ln for ln in args.file.read_text(encoding="utf-8").splitlines() if ln.strip()]
    parts: dict[str, list[str]] = {"dev": [], "holdout": []}
    for line in lines:
        parts["holdout" if is_holdout(source_group(json.loads(line).get("source", ""))) else "dev"].append(line)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, rows in parts.items():
        (args.out / f"{name}.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
        print(f"{args.out / name}.jsonl: {len(rows)} records")


if __name__ == "__main__":
    main()
