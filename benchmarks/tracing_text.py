"""Text-level tracing figures of issue 17: slot density per corpus, a single whole leak of
each demo report among its partners, and two colluders over five reports.

    .venv/bin/python -m benchmarks tracing             # full (docs/benchmarks.md)
    TEARLINE_BENCH_FAST=1 .venv/bin/python -m benchmarks.tracing_text   # quick, for development

Everything runs the product's own pipeline: the layout a stream gets at release
(``tearline.fingerprint.stream_layout``: channels, then the deployment's keyed variant sets),
keyed codewords, copies, simulated leaks (``tearline.fingerprint.noise``) and ``trace``.
A fresh key and fresh secrets per trial.

Corpora (word counts by whitespace):

* **demo world**: the 36 reports of the shipped demo scenario (151–248 words each);
* **sample-600**: ``benchmarks/data/report-600.txt``, written in issue 7 *for* the tracing
  benchmark (with issue 7's channels in mind) — shown for continuity only;
* **sanitiser evaluation corpus**: ``benchmarks/data/sanitize-corpus.yaml``, 41 reports
  written by hand for issue 10's sanitiser evaluation, by another engineer, at the same
  time as issue 17's channels and without sight of them; measured once, never tuned on;
* **independent**: the eight reports of ``tests/sanitize/corpus.py`` (868 words), written
  for the sanitiser's tests before any fingerprint channel existed (commit 0877d20), in
  styles the demo lacks (an ISAC e-mail, bullets, a cable, a numbered list, long
  sentences). This is the sample the capacity goal is measured on; as one document (the
  eight reports one after another, 868 words) it is also the ≥ 300-word text for the
  single-leak goal, since no demo report reaches 300 words.
"""

from __future__ import annotations

import math
import os
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from scipy.stats import beta

from tearline.fingerprint import Layout, Leak, Stream, stream_layout, trace
from tearline.fingerprint.code import biases, codeword, cutoff_for
from tearline.fingerprint.noise import retype

EPSILON = 0.01
PARTNERS = 7  # the demo world's partners; every report goes to all of them here
FAST = os.environ.get("TEARLINE_BENCH_FAST") == "1"
SAMPLE = Path(__file__).parent / "data" / "report-600.txt"
SANITISER_CORPUS = Path(__file__).parent / "data" / "sanitize-corpus.yaml"


def rate(k: int, n: int) -> str:
    low = 0.0 if k == 0 else float(beta.ppf(0.025, k, n - k + 1))
    high = 1.0 if k == n else float(beta.ppf(0.975, k + 1, n - k))
    return f"{k / n:.2f} [{low:.2f}, {high:.2f}]"


def corpora() -> dict[str, list[tuple[str, str]]]:
    from tests.sanitize.corpus import CASES

    from tearline.cli.demo import demo_text
    from tearline.scenario import parse_scenario

    world = parse_scenario(demo_text()).world
    found = {
        "demo world": [(r.id, r.text) for r in world.reports],
        "sample-600 (issue 7's)": [("report-600", SAMPLE.read_text(encoding="utf-8"))],
        "independent": [(c.id, c.text) for c in CASES],
    }
    if SANITISER_CORPUS.exists():
        import yaml

        data = yaml.safe_load(SANITISER_CORPUS.read_text(encoding="utf-8"))
        found["sanitiser evaluation corpus"] = [(r["id"], r["text"]) for r in data["reports"]]
    return found


def independent_bulletin() -> str:
    from tests.sanitize.corpus import CASES

    return "\n\n".join(c.text.strip() for c in CASES)


def density_table(texts: dict[str, list[tuple[str, str]]]) -> tuple[list[str], dict[str, float]]:
    lines = [
        "### Slots per 100 words",
        "",
        "The layout each stream gets at release (channels, then the keyed variant sets), "
        "averaged over 5 keys; bits = Σ log₂ q.",
        "",
        "| corpus | documents | words | slots | slots per 100 words | bits per 100 words |",
        "|---|---|---|---|---|---|",
    ]
    density: dict[str, float] = {}
    keys = [bytes([k]) * 32 for k in range(5)]
    for name, docs in texts.items():
        words = sum(len(t.split()) for _, t in docs)
        slots = bits = 0.0
        for key in keys:
            for _, text in docs:
                layout = stream_layout(text, key, "density")
                slots += len(layout.slots) / len(keys)
                bits += sum(math.log2(q) for q in layout.alphabet) / len(keys)
        density[name] = 100 * slots / words
        lines.append(
            f"| {name} | {len(docs)} | {words:,} | {slots:.0f} | **{density[name]:.2f}** | "
            f"{100 * bits / words:.2f} |"
        )
    return [*lines, ""], density


@dataclass(frozen=True)
class _Copies:
    layout: Layout
    stream: Stream
    words: dict[str, tuple[int, ...]]


def _streams(
    texts: Sequence[str], partners: Sequence[str], rng: random.Random, key: bytes
) -> list[_Copies]:
    out = []
    for d, text in enumerate(texts):
        layout = stream_layout(text, key, f"s{d}")
        secrets = {p: rng.randbytes(32) for p in partners}
        cutoff = cutoff_for(len(layout.slots))
        stream = Stream(f"s{d}", f"r{d}", "full", layout, secrets, cutoff)
        bias = biases(key, stream.id, layout.alphabet, cutoff)
        words = {p: codeword(key, stream.id, secrets[p], bias) for p in partners}
        out.append(_Copies(layout, stream, words))
    return out


def render(layout: Layout, choices: Sequence[int]) -> str:
    """The text with slot ``i`` set to entry ``choices[i]`` of its published list: the
    options in use first, then the family's other forms (``decoys``) that this deployment
    does not use — what a colluder reading the code could also write."""
    edits = []
    for slot, choice in zip(layout.slots, choices, strict=True):
        for span in slot.spans:
            pool = (*span.options, *getattr(span, "decoys", ()))
            edits.append((span.start, span.end, pool[choice]))
    pieces, at = [], 0
    for start, end, option in sorted(edits):
        pieces += [layout.text[at:start], option]
        at = end
    pieces.append(layout.text[at:])
    return "".join(pieces)


def _pool_size(layout: Layout, i: int) -> int:
    span = layout.slots[i].spans[0]
    return len(span.options) + len(getattr(span, "decoys", ()))


def single_leak(text: str, trials: int, seed: int, *, retyped: bool) -> tuple[int, int, int]:
    """(named, innocents accused, mean slots) for one whole copy leaked among 7 partners."""
    named = framed = 0
    slots = 0
    partners = [f"p{i}" for i in range(PARTNERS)]
    for t in range(trials):
        rng = random.Random(seed * 100_003 + t)
        key = rng.randbytes(32)
        (copies,) = _streams([text], partners, rng, key)
        leaker = rng.choice(partners)
        leaked = render(copies.layout, copies.words[leaker])
        if retyped:
            leaked = retype(leaked, rng, typos=0.02, upper=True)
        result = trace([Leak("leak", leaked)], [copies.stream], key, epsilon=EPSILON)
        accused = {c.partner for c in result.accused}
        named += leaker in accused
        framed += bool(accused - {leaker})
        slots += len(copies.layout.slots)
    return named, framed, slots // trials


def single_leak_table(
    texts: dict[str, list[tuple[str, str]]],
) -> tuple[list[str], list[tuple[str, int, float, float]]]:
    trials = 20 if FAST else 100
    lines = [
        "### A single whole leak of one report among its partners",
        "",
        f"Each report released to all {PARTNERS} partners of the demo world (its recipients "
        f"in the demo are 0–6 partners; all {PARTNERS} is the harder case); one partner's whole "
        "copy leaks, exact or retyped (2 % of letters mistyped, capitals, re-flowed). Named = "
        f"the leaker is accused at ε = {EPSILON}; {trials} trials per cell, 95 % CP "
        "intervals.",
        "",
        "| report | words | slots | exact: named | retyped: named | innocents accused |",
        "|---|---|---|---|---|---|",
    ]
    docs = [*texts["demo world"], ("sample-600", texts["sample-600 (issue 7's)"][0][1])]
    docs.append(("independent, 8 reports as one", independent_bulletin()))
    summary = []
    for seed, (name, text) in enumerate(docs):
        exact, framed_exact, slots = single_leak(text, trials, seed, retyped=False)
        typed, framed_typed, _ = single_leak(text, trials, seed + 7919, retyped=True)
        words = len(text.split())
        summary.append((name, words, exact / trials, typed / trials))
        lines.append(
            f"| {name} | {words} | {slots} | {rate(exact, trials)} | {rate(typed, trials)} | "
            f"{framed_exact + framed_typed}/{2 * trials} |"
        )
    demo = [s for s in summary if s[0].startswith("rpt-")]
    lines += [
        "",
        f"Demo reports: exact copy named in {sum(s[2] for s in demo) / len(demo):.1%} of "
        f"trials on average (lowest {min(s[2] for s in demo):.2f}), retyped "
        f"{sum(s[3] for s in demo) / len(demo):.1%} (lowest {min(s[3] for s in demo):.2f}).",
        "",
    ]
    return lines, summary


STRATEGIES = ("random", "unheld")


def _collude(
    copies: _Copies, colluders: Sequence[str], strategy: str, rng: random.Random
) -> list[int]:
    """Per slot: the variant the coalition writes. ``random``: one of the colluders' own
    variants at random. ``unheld``: where their copies differ, another form from the
    published lists that none of them holds (when the list has one), else their own."""
    held = [copies.words[c] for c in colluders]
    out = []
    for i in range(len(copies.layout.slots)):
        mine = {w[i] for w in held}
        if strategy == "unheld" and len(mine) > 1:
            others = [k for k in range(_pool_size(copies.layout, i)) if k not in mine]
            if others:
                out.append(rng.choice(others))
                continue
        out.append(rng.choice(sorted(mine)))
    return out


def collusion(
    reports: Sequence[str], strategy: str, trials: int, *, retyped: bool = False
) -> tuple[int, int]:
    detected = framed = 0
    partners = [f"p{i}" for i in range(PARTNERS)]
    for t in range(trials):
        rng = random.Random(777_001 * (1 + STRATEGIES.index(strategy)) + 31 * retyped + t)
        key = rng.randbytes(32)
        texts = rng.sample(list(reports), 5)
        colluders = rng.sample(partners, 2)
        streams = _streams(texts, partners, rng, key)
        leaks = []
        for d, copies in enumerate(streams):
            leaked = render(copies.layout, _collude(copies, colluders, strategy, rng))
            if retyped:
                leaked = retype(leaked, rng, typos=0.02, upper=True)
            leaks.append(Leak(f"leak-{d}", leaked))
        result = trace(leaks, [c.stream for c in streams], key, epsilon=EPSILON)
        accused = {c.partner for c in result.accused}
        detected += bool(accused & set(colluders))
        framed += bool(accused - set(colluders))
    return detected, framed


def collusion_table(reports: Sequence[str]) -> tuple[list[str], dict[str, float]]:
    trials = 30 if FAST else 200
    lines = [
        "### Two colluders over five reports",
        "",
        f"{PARTNERS} partners each receive five demo reports (drawn at random per trial); two "
        "of them pool their copies of all five and leak one text per report. Random: each slot "
        "from either colluder's copy at random (the finest sentence-by-sentence blend). "
        "Unheld: where their copies differ, they write another form from the product's "
        "published lists that neither holds (so only slots they cannot see stay as held). "
        f"Detected = at least one colluder accused at ε = {EPSILON}; {trials} trials.",
        "",
        "| strategy | leak | detected | trials with an innocent accused |",
        "|---|---|---|---|",
    ]
    result = {}
    for strategy in STRATEGIES:
        for retyped in (False, True):
            detected, framed = collusion(reports, strategy, trials, retyped=retyped)
            result[f"{strategy}{' retyped' if retyped else ''}"] = detected / trials
            lines.append(
                f"| {strategy} | {'retyped' if retyped else 'exact'} | "
                f"{rate(detected, trials)} | {framed}/{trials} |"
            )
    return [*lines, ""], result


def main() -> None:
    texts = corpora()
    density, _ = density_table(texts)
    single, _ = single_leak_table(texts)
    collusion_lines, _ = collusion_table([t for _, t in texts["demo world"]])
    print("\n".join(density + single + collusion_lines))


if __name__ == "__main__":
    main()
