"""Training time: from scratch, after a one-example NLU change, after a one-story change.

Issue 10's targets are training from scratch under 2 minutes and after a
one-example NLU change under 1 minute. What makes the second possible is
Rasa's component cache (`.rasa/cache`, keyed by fingerprint): an NLU edit
retrains the NLU pipeline and takes the policies from the cache. This script
measures all three on a throw-away copy of `rasa_project/` with its own empty
cache, so the developer's model and cache are never touched:

1. `rasa train` with an empty cache (from scratch);
2. one new `search` example added (a new NLU file), `rasa train` again;
3. one new story added (a new stories file), `rasa train` again.

Each run is timed from the command's start to its exit (wall clock, what a
developer waits for), and the log is checked for which parts were retrained.
CPU-heavy: on the shared machine run it under `flock /tmp/stays-heavy.lock`.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for entry in (ROOT, ROOT / "src", ROOT / "benchmarks"):
    if str(entry) not in sys.path:
        sys.path.insert(0, str(entry))

from load import machine  # noqa: E402
from report import replace_section  # noqa: E402

BENCHMARKS_MD = ROOT / "BENCHMARKS.md"
START_MARK, END_MARK = "<!-- training:start -->", "<!-- training:end -->"
RASA = ROOT / ".venv" / "bin" / "rasa"
PROJECT_PARTS = ("data", "addons", "domain.yml", "config.yml", "endpoints.yml", "credentials.yml")

#: (file added to the copy, its text): a new file, so the edit never depends on how the others are laid out
NLU_EDIT = ("data/nlu/training_benchmark.yml",
            'version: "3.1"\nnlu:\n- intent: search\n  examples: |\n'
            "    - any flat in [Lisbon](location) for the two of us next month\n")
STORY_EDIT = ("data/training_benchmark.yml",
              'version: "3.1"\nstories:\n- story: thanks, then goodbye (training benchmark)\n  steps:\n'
              "  - intent: thanks\n  - action: utter_you_are_welcome\n"
              "  - intent: goodbye\n  - action: utter_goodbye\n")


def copy_project(into: Path) -> Path:
    """The Rasa project as `make train` sees it, in a directory of its own."""
    project = into / "rasa_project"
    project.mkdir()
    for part in PROJECT_PARTS:
        source = ROOT / "rasa_project" / part
        if source.is_dir():
            shutil.copytree(source, project / part, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, project / part)
    return project


def train(project: Path, cache: Path, log: Path) -> float:
    """Seconds for one `rasa train`, with this project's own cache."""
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "RASA_CACHE_DIRECTORY": str(cache),
           "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(project), os.environ.get("PYTHONPATH", "")])}
    started = time.perf_counter()
    with log.open("w", encoding="utf-8") as out:
        done = subprocess.run([str(RASA), "train", "--fixed-model-name", "bench", "--out", "models"],
                              cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"rasa train failed (exit {done.returncode}); log: {log}")
    return elapsed


def retrained(log: Path) -> str:
    """Which components Rasa trained rather than took from its cache, read from its log."""
    trained = re.findall(r"Starting to train component '(\w+)'", log.read_text(encoding="utf-8", errors="replace"))
    return ", ".join(dict.fromkeys(trained)) or "nothing (all from the cache)"


def add(project: Path, edit: tuple[str, str]) -> None:
    (project / edit[0]).write_text(edit[1], encoding="utf-8")


def measure(keep: bool) -> dict[str, tuple[float, str]]:
    workdir = Path(tempfile.mkdtemp(prefix="stays-training-"))
    project, cache = copy_project(workdir), workdir / "cache"
    figures: dict[str, tuple[float, str]] = {}
    try:
        for name, edit in (("from scratch (empty cache)", None),
                           ("after a one-example NLU change", NLU_EDIT),
                           ("after a one-story change", STORY_EDIT)):
            if edit is not None:
                add(project, edit)
            log = workdir / f"train-{len(figures) + 1}.log"
            figures[name] = (train(project, cache, log), retrained(log))
            print(f"{name}: {figures[name][0]:.1f} s ({figures[name][1]})", flush=True)
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"kept {workdir}")
    return figures


def markdown(figures: dict[str, tuple[float, str]], load: tuple[float, float]) -> str:
    m = machine()
    lines = [
        "## Training time (issue 10)",
        "",
        f"`python benchmarks/training.py`, run on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC. Machine: "
        f"{m['cores']} cores ({m['cpu']}), {m['memory']}, Python {m['python']}, Rasa {m['rasa']}. A copy of "
        "`rasa_project/` with its own empty component cache (`RASA_CACHE_DIRECTORY`), trained three times in a "
        f"row with `rasa train`; wall clock of the whole command. Load average (1 min) {load[0]:.1f} at the "
        f"start, {load[1]:.1f} at the end.",
        "",
        "| `rasa train` | wall clock | trained (the rest from the cache) |",
        "|---|---:|---|",
    ]
    lines += [f"| {name} | **{seconds:.0f} s** | {parts} |" for name, (seconds, parts) in figures.items()]
    lines += ["", "Targets (issue 10): from scratch under 2 minutes, after a one-example NLU change under 1 minute."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the copy, its cache and the training logs")
    parser.add_argument("--no-write", action="store_true", help="do not update BENCHMARKS.md")
    args = parser.parse_args(argv)
    if not RASA.exists():
        print(f"training.py: {RASA} not found; run `make install` first", file=sys.stderr)
        return 1
    load_start = os.getloadavg()[0]
    try:
        figures = measure(args.keep)
    except RuntimeError as error:
        print(f"training.py: {error}", file=sys.stderr)
        return 1
    section = markdown(figures, (load_start, os.getloadavg()[0]))
    print(section)
    if not args.no_write:
        replace_section(BENCHMARKS_MD, START_MARK, END_MARK, section)
        print(f"Wrote the figures into {BENCHMARKS_MD} between {START_MARK} and {END_MARK}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
