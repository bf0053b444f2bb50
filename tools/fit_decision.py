"""Refit the family decision (linter/data/decision.json) on labelled JSON Lines files.

    python tools/fit_decision.py corpora/ .eval/dev.jsonl

Each family's logistic model is fitted on the signal vectors of every record (see linter/decide.py); records
from real sources (with a `source` field) weigh --real-weight. The weights are numbers only: no message text is
stored. Measure what a refit is worth with grouped cross-validation, never on the records it was fitted on:

    outreach-lint eval .eval/dev.jsonl --folds 5 --train corpora/
"""
from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

from linter.evaluate import FAMILIES, fit_models, load_records, score

OUT = Path(__file__).resolve().parent.parent / "linter" / "data" / "decision.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--real-weight", type=float, default=1.0)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    records = load_records(args.paths)
    empty = OUT.read_text(encoding="utf-8") if OUT.exists() else None
    OUT.write_text('{"families": {}}\n', encoding="utf-8")  # signals are computed with no decision applied
    try:
        from linter import decide

        decide.models.cache_clear()
        models = fit_models(score(records), args.real_weight)
    except BaseException:
        if empty is not None:
            OUT.write_text(empty, encoding="utf-8")
        raise
    payload = {
        "fitted": {"on": [str(p) for p in args.paths], "records": len(records),
                   "positives": {f: sum(f in r["categories"] for r in records) for f in FAMILIES},
                   "real_weight": args.real_weight, "date": date.today().isoformat(),
                   "command": "python tools/fit_decision.py " + " ".join(args.paths)},
        "families": {fam: m.to_dict() for fam, m in models.items()},
    }
    args.out.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    for fam, m in models.items():
        top = sorted(zip(m.features, m.weights), key=lambda fw: -abs(fw[1]))[:6]
        print(f"{fam}: threshold {m.threshold:.3f}; " + ", ".join(f"{f} {w:+.2f}" for f, w in top))


if __name__ == "__main__":
    main()
