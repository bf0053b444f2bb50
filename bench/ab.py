"""A/B throughput of this checkout against an older one, in one process and in CPU seconds (time.process_time):
other processes on the machine do not count, and what noise is left hits both alike.

    git archive OLD_COMMIT | tar -x -C /tmp/old && python bench/ab.py /tmp/old [--drafts 1000]

The old `linter` package is imported as `linter_baseline` (a copy whose data look-ups and spaCy factory names
are renamed to match; a checkout whose Doc extensions share names with this one's cannot be compared this way);
both lint the same drafts (as bench.py makes them) with their own pipelines, alongside a bare `nlp.pipe`,
in chunks of 256 whose order alternates. Prints JSON: total CPU seconds per variant, the new/old ratio, each one's
overhead over the bare pipeline, and the best of 5 rounds of front matter parsing plus normalisation alone.
"""
from __future__ import annotations

import argparse
import gc
import importlib
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402  (the drafts bench.py lints)


def load_baseline(checkout: Path, scratch: Path):
    shutil.copytree(checkout / "linter", scratch / "linter_baseline")
    for path in (scratch / "linter_baseline").rglob("*.py"):
        text = path.read_text(encoding="utf-8").replace('files("linter")', 'files("linter_baseline")')
        # its spaCy factories under names of their own: spaCy refuses a factory name registered twice (E004)
        text = text.replace('"outreach_', '"baseline_outreach_')
        path.write_text(text, encoding="utf-8")
    sys.path.insert(0, str(scratch))
    return importlib.import_module("linter_baseline")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("baseline", type=Path, help="an older checkout (a folder with linter/ in it)")
    ap.add_argument("--drafts", type=int, default=1000)
    args = ap.parse_args()
    import linter

    with tempfile.TemporaryDirectory() as scratch:
        old = load_baseline(args.baseline, Path(scratch))
        records = bench.load_records()
        drafts = [(f"{r['text']} (v{i})", r.get("stage"))
                  for i, r in enumerate(records[i % len(records)] for i in range(args.drafts))]
        variants = {name: (mod, [mod.Source(text=t, stage=s) for t, s in drafts])
                    for name, mod in (("old", old), ("new", linter))}
        for mod, sources in variants.values():  # load each model, fill the caches
            list(mod.lint_many(sources[:64], mod.Config()))
        nlp = linter.nlp.load(None, ner=True)
        list(nlp.pipe([t for t, _ in drafts[:64]]))
        totals = dict.fromkeys(("old", "new", "bare"), 0.0)
        order = list(totals)
        for k, start in enumerate(range(0, args.drafts, 256)):
            for name in order if k % 2 == 0 else order[::-1]:
                gc.collect()
                t0 = time.process_time()
                if name == "bare":
                    list(nlp.pipe([t for t, _ in drafts[start:start + 256]], batch_size=64))
                else:
                    mod, sources = variants[name]
                    list(mod.lint_many(sources[start:start + 256], mod.Config()))
                totals[name] += time.process_time() - t0
        normalise = {}
        for name, (mod, sources) in variants.items():
            rounds = []
            for _ in range(5):
                t0 = time.process_time()
                for s in sources:
                    mod.draft.parse(s.text, s.path).analysed()
                rounds.append(time.process_time() - t0)
            normalise[name] = min(rounds)
    print(json.dumps({"drafts": args.drafts, "lint_s": totals, "new_over_old": totals["new"] / totals["old"],
                      "overhead_old": totals["old"] / totals["bare"], "overhead_new": totals["new"] / totals["bare"],
                      "parse_and_normalise_s": normalise}, indent=2))


if __name__ == "__main__":
    main()
