#!/usr/bin/env python3
"""Cross-validate the NLU model and print a short report.

    python scripts/nlu_eval.py [--folds 3] [--out DIR] [--report-only]
    python scripts/nlu_eval.py --holdout 0.2 [--config FILE]   # one split: about 1/3 of the time

Runs `rasa test nlu --cross-validation` from `rasa_project/` with its config.yml
as is, then prints one table from the reports Rasa writes into `--out`
(default `rasa_project/results/nlu_cv/`, git-ignored). `--holdout F` instead
trains once on a seeded split (1 - F of the examples) and tests on the rest:
the same split for every config, so configurations can be compared in one
training each (docs/performance.md), and the training time is printed too.

- intent F1: the weighted average of intent_report.json
- entity F1: the weighted (and micro) average of DIETClassifier_report.json (or CRFEntityExtractor's),
  which Rasa computes without the "no_entity" label
- the five intents with the lowest F1, and the F1 of every entity

This is a report: the exit status is 0 unless Rasa itself could not run. It
prints "BELOW TARGET" when intent F1 < 0.90 or entity F1 < 0.85. Misclassified
examples are in intent_errors.json and DIETClassifier_errors.json of the output
directory. `--report-only` re-reads the last reports without running Rasa.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ROOT / "rasa_project"
DEFAULT_OUT = PROJECT / "results" / "nlu_cv"
INTENT_TARGET = 0.90
ENTITY_TARGET = 0.85
SUMMARY_KEYS = {"accuracy", "micro avg", "macro avg", "weighted avg"}


def rasa_executable() -> str:
    candidate = Path(sys.executable).parent / "rasa"
    if candidate.exists():
        return str(candidate)
    venv = ROOT / ".venv" / "bin" / "rasa"
    return str(venv) if venv.exists() else "rasa"


def run_cross_validation(folds: int, out: Path) -> float:
    """Run Rasa's cross-validation; the number of seconds it took."""
    out.mkdir(parents=True, exist_ok=True)
    return _rasa(["test", "nlu", "--nlu", "data/nlu", "--config", "config.yml", "--cross-validation",
                  "--folds", str(folds), "--out", str(out), "--no-plot"], out / "rasa_test.log")


def _rasa(arguments: list[str], log_path: Path) -> float:
    """Run one rasa command from rasa_project/, logged; the seconds it took."""
    command = [rasa_executable(), *arguments]
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false")
    print(f"$ cd rasa_project && {' '.join(command)}", flush=True)
    started = time.monotonic()
    with log_path.open("w", encoding="utf-8") as log:
        completed = subprocess.run(command, cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT)
    if completed.returncode != 0:
        tail = log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-30:]
        print("\n".join(tail), file=sys.stderr)
        raise SystemExit(f"rasa {arguments[0]} failed (exit {completed.returncode}); log: {log_path}")
    return time.monotonic() - started


def run_holdout(fraction: float, config: Path, out: Path) -> float:
    """Train on a seeded split of the NLU data, test on the rest; the training's seconds.

    The training gets its own component cache under `out`, so the time is a
    training from scratch whatever was trained before.
    """
    out.mkdir(parents=True, exist_ok=True)
    split = out / "split"
    _rasa(["data", "split", "nlu", "--nlu", "data/nlu", "--training-fraction", str(1 - fraction),
           "--random-seed", "42", "--out", str(split)], out / "rasa_split.log")
    os.environ["RASA_CACHE_DIRECTORY"] = str(out / "cache")
    try:
        seconds = _rasa(["train", "nlu", "--config", str(config), "--nlu", str(split / "training_data.yml"),
                         "--out", str(out), "--fixed-model-name", "holdout"], out / "rasa_train.log")
    finally:
        del os.environ["RASA_CACHE_DIRECTORY"]
    _rasa(["test", "nlu", "--model", str(out / "holdout.tar.gz"), "--nlu", str(split / "test_data.yml"),
           "--out", str(out), "--no-plot"], out / "rasa_test.log")
    return seconds


def _load(path: Path) -> dict[str, Any] | None:
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _labels(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        label: values
        for label, values in report.items()
        if label not in SUMMARY_KEYS and isinstance(values, dict) and label != "no_entity"
    }


ENTITY_EXTRACTORS = ("DIETClassifier", "CRFEntityExtractor")


def _entity_report(out: Path) -> Path:
    """The report of the pipeline's entity extractor: DIET, or CRF when DIET only classifies intents."""
    for name in ENTITY_EXTRACTORS:
        if (out / f"{name}_report.json").is_file():
            return out / f"{name}_report.json"
    return out / f"{ENTITY_EXTRACTORS[0]}_report.json"


def summarise(out: Path) -> dict[str, Any]:
    """The figures of the reports in `out` (None where a report is missing)."""
    intents = _load(out / "intent_report.json")
    entities = _load(_entity_report(out))
    summary: dict[str, Any] = {"intent_f1": None, "entity_f1": None, "entity_micro_f1": None,
                               "intents": {}, "entities": {}}
    if intents:
        summary["intent_f1"] = intents["weighted avg"]["f1-score"]
        summary["intent_accuracy"] = intents.get("accuracy")
        summary["intents"] = {k: (v["f1-score"], v["support"]) for k, v in _labels(intents).items()}
    if entities:
        summary["entity_f1"] = entities["weighted avg"]["f1-score"]
        micro = entities.get("micro avg") or {}
        summary["entity_micro_f1"] = micro.get("f1-score", entities.get("accuracy"))
        summary["entities"] = {k: (v["f1-score"], v["support"]) for k, v in _labels(entities).items()}
    return summary


def render(summary: dict[str, Any], elapsed: float | None) -> str:
    def fmt(value: float | None) -> str:
        return "  n/a" if value is None else f"{value:.3f}"

    lines = []
    lines.append(f"{'intent F1 (weighted)':<28}{fmt(summary['intent_f1'])}   target >= {INTENT_TARGET:.2f}")
    lines.append(f"{'entity F1 (weighted)':<28}{fmt(summary['entity_f1'])}   target >= {ENTITY_TARGET:.2f}")
    lines.append(f"{'entity F1 (micro)':<28}{fmt(summary['entity_micro_f1'])}")
    lowest = sorted(summary["intents"].items(), key=lambda kv: (kv[1][0], kv[0]))[:5]
    if lowest:
        lines.append("lowest intents")
        lines.extend(f"  {name:<26}{f1:.3f}  (n={support})" for name, (f1, support) in lowest)
    if summary["entities"]:
        lines.append("entities")
        lines.extend(
            f"  {name:<26}{f1:.3f}  (n={support})"
            for name, (f1, support) in sorted(summary["entities"].items(), key=lambda kv: (kv[1][0], kv[0]))
        )
    if elapsed is not None:
        lines.append(f"{'evaluation took':<28}{elapsed / 60:.1f} min")
    below = (
        summary["intent_f1"] is None
        or summary["entity_f1"] is None
        or summary["intent_f1"] < INTENT_TARGET
        or summary["entity_f1"] < ENTITY_TARGET
    )
    lines.append("BELOW TARGET" if below else "targets met")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where Rasa writes its reports")
    parser.add_argument("--report-only", action="store_true", help="print the last reports, run nothing")
    parser.add_argument("--holdout", type=float, metavar="FRACTION",
                        help="one seeded split instead of cross-validation: test on this fraction")
    parser.add_argument("--config", type=Path, default=PROJECT / "config.yml", help="with --holdout: the config")
    args = parser.parse_args(argv)
    out = args.out.resolve()

    training = None
    if args.report_only:
        elapsed = None
    elif args.holdout:
        started = time.monotonic()
        training = run_holdout(args.holdout, args.config.resolve(), out)
        elapsed = time.monotonic() - started
    else:
        elapsed = run_cross_validation(args.folds, out)
    summary = summarise(out)
    print(render(summary, elapsed))
    if training is not None:
        print(f"{'training (from scratch)':<28}{training:.0f} s")
    if summary["intent_f1"] is None:
        print(f"no reports in {out}: run without --report-only", file=sys.stderr)
        return 0
    (out / "summary.json").write_text(json.dumps({**summary, "seconds": elapsed, "training_seconds": training},
                                                 indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
