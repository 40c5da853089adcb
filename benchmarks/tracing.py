"""Leak tracing: how often the code catches colluders, how rarely it accuses an innocent,
and how much leaked text it needs (issue 7; ``docs/fingerprinting.md``).

    .venv/bin/python -m benchmarks tracing

Symbol-level tables simulate the code (``benchmarks/tracing_sim.py``) with the product's own
accusation bound; the text tables run the real pipeline (channels, keyed codewords, copies,
simulated leaks, ``trace``). Rates come with 95 % Clopper–Pearson intervals.
"""

from __future__ import annotations

import math
import random
import time
from collections import Counter
from pathlib import Path

import numpy as np
from scipy.stats import beta

from benchmarks import tracing_text
from benchmarks.tracing_sim import RARE, STRATEGIES, design_length, run
from benchmarks.tracing_text import FAST
from tearline.fingerprint import CUTOFF, Leak, Stream, fingerprint_text, stream_layout, trace
from tearline.fingerprint.code import cutoff_for
from tearline.fingerprint.noise import blend, excerpt, retype

EPSILON = 0.01
SAMPLE = Path(__file__).parent / "data" / "report-600.txt"


def clopper_pearson(k: int, n: int, level: float = 0.95) -> tuple[float, float]:
    a = (1 - level) / 2
    low = 0.0 if k == 0 else float(beta.ppf(a, k, n - k + 1))
    high = 1.0 if k == n else float(beta.ppf(1 - a, k + 1, n - k))
    return low, high


def rate(k: int, n: int) -> str:
    low, high = clopper_pearson(k, n)
    return f"{k / n:.3f} [{low:.3f}, {high:.3f}]"


def design_table(rng: np.random.Generator) -> tuple[list[str], float]:
    lines = [
        "### Binary code at the design length",
        "",
        f"L = ⌈(π²/2)·c²·ln(n/ε)⌉ binary symbols, ε = {EPSILON}, whole leak, no noise. "
        "Detected = at least one colluder accused: per strategy, and pooled over the "
        "strategies with its 95 % CP interval; false = trials in which any innocent was "
        "accused, pooled.",
        "",
        "| n | c | L | trials per strategy | " + " | ".join(STRATEGIES) + " | detected, pooled "
        "| false accusations |",
        "|---|---|---|---|" + "---|" * len(STRATEGIES) + "---|---|",
    ]
    lowest = 1.0
    for n in (10, 50, 200):
        for c in (1, 2, 3, 4):
            size = design_length(c, n, EPSILON)
            trials = {1: 400, 2: 300, 3: 160, 4: 100}[c]
            alphabet = np.full(size, 2)
            cells, detected, framed, total = [], 0, 0, 0
            for strategy in STRATEGIES if c > 1 else STRATEGIES[:1]:
                out = run(
                    rng,
                    n=n,
                    c=c,
                    alphabet=alphabet,
                    strategy=strategy,
                    trials=trials,
                    epsilon=EPSILON,
                )
                cells.append(f"{out.detected / trials:.3f}")
                detected, framed, total = (
                    detected + out.detected,
                    framed + out.framed,
                    total + trials,
                )
            lowest = min(lowest, detected / total)
            cells += ["(c = 1)"] * (len(STRATEGIES) - len(cells))
            lines.append(
                f"| {n} | {c} | {size} | {trials} | "
                + " | ".join(cells)
                + f" | {rate(detected, total)} | {rate(framed, total)} |"
            )
    lines += ["", f"Lowest pooled detection rate: {lowest:.3f}.", ""]
    return lines, lowest


def partial_table(rng: np.random.Generator) -> list[str]:
    lines = [
        "### Partial and noisy leaks",
        "",
        f"n = 50, ε = {EPSILON}, interleaving; L is the design length of the whole document; "
        "a partial leak is a contiguous share of its slots; retyping noise flips 7.5 % of the "
        "symbols read and erases 25 %.",
        "",
        "| c | L | leaked | noise | symbols read | detected | false |",
        "|---|---|---|---|---|---|---|",
    ]
    for c in (1, 2, 3, 4):
        size = design_length(c, 50, EPSILON)
        trials = 60 if size < 600 else 40
        for fraction in (0.25, 0.5, 1.0):
            for noisy in (False, True):
                out = run(
                    rng,
                    n=50,
                    c=c,
                    alphabet=np.full(size, 2),
                    strategy="interleave",
                    trials=trials,
                    epsilon=EPSILON,
                    fraction=fraction,
                    flip=0.075 if noisy else 0.0,
                    erase=0.25 if noisy else 0.0,
                )
                lines.append(
                    f"| {c} | {size} | {fraction:.0%} | {'retyped' if noisy else 'clean'} | "
                    f"{out.read:.0f} | {rate(out.detected, trials)} | {out.framed}/{trials} |"
                )
    return [*lines, ""]


def calibration_table(rng: np.random.Generator) -> tuple[list[str], list[tuple[float, int, int]]]:
    lines = [
        "### False accusations against ε",
        "",
        "n = 50. The rare-variant leak holds the rarer variant of every slot (someone who knew "
        "the biases, trying to frame innocents): innocents' scores then have a heavy right "
        "tail, and the Gaussian threshold √(2L·ln(n/ε)) accuses innocents more often than ε. "
        "The per-leak bound does not.",
        "",
        "| ε | leak | L | trials | false, per-leak bound | false, Gaussian threshold |",
        "|---|---|---|---|---|---|",
    ]
    cases = [("single leaker", "interleave", 1, 40, CUTOFF)]
    cases += [("3 colluders", "interleave", 3, 40, CUTOFF)]
    cases += [("rare variants", RARE, 1, 20, CUTOFF), ("rare variants", RARE, 1, 40, CUTOFF)]
    # Issue 17: short streams get a larger cutoff (cutoff_for); the bound must hold there too.
    cases += [("single leaker, t = 0.2", "interleave", 1, 12, 0.2)]
    cases += [("rare variants, t = 0.2", RARE, 1, 12, 0.2)]
    cases += [("2 colluders, t = 0.1", "interleave", 2, 60, 0.1)]
    measured = []
    for epsilon in (0.1, 0.01):
        for label, strategy, c, size, cutoff in cases:
            trials = (2000 if epsilon == 0.1 else 3000) * (3 if strategy == RARE else 1)
            if FAST:
                trials //= 10
            out = run(
                rng,
                n=50,
                c=c,
                alphabet=np.full(size, 2),
                strategy=strategy,
                trials=trials,
                epsilon=epsilon,
                cutoff=cutoff,
            )
            lines.append(
                f"| {epsilon} | {label} | {size} | {trials} | {rate(out.framed, trials)} | "
                f"{rate(out.framed_gaussian, trials)} |"
            )
            measured.append((epsilon, out.framed, trials))
    return [*lines, ""], measured


def corpus_alphabet() -> tuple[np.ndarray, float, Counter[str], int, int]:
    """Alphabet sizes of real slots (demo world reports and the 600-word sample), and the
    slot density per 100 words."""
    from tearline.cli.demo import demo_text
    from tearline.scenario import parse_scenario

    texts = [r.text for r in parse_scenario(demo_text()).world.reports]
    texts.append(SAMPLE.read_text(encoding="utf-8"))
    sizes: list[int] = []
    kinds: Counter[str] = Counter()
    words = 0
    for text in texts:
        layout = stream_layout(text, bytes(32), "alphabet")
        sizes += list(layout.alphabet)
        kinds.update(s.kind for s in layout.slots)
        words += len(text.split())
    return np.array(sizes), 100 * len(sizes) / words, kinds, words, len(texts)


def words_table(rng: np.random.Generator, alphabet: np.ndarray, density: float) -> list[str]:
    lines = [
        "### Leaked words needed",
        "",
        f"Slots with the alphabet sizes found in real text (mean q = {alphabet.mean():.2f}), "
        f"n = 50, ε = {EPSILON}, interleaving; the shortest length on the grid with at least "
        f"99 of 100 trials detected, and the words that takes at {density:.2f} slots per 100 "
        "words. Retyped: 7.5 % of symbols flipped, 25 % erased.",
        "",
        "| c | symbols (clean) | words (clean) | symbols (retyped) | words (retyped) |",
        "|---|---|---|---|---|",
    ]
    grid = sorted({round(6 * 1.19**k) for k in range(34)})
    for c in (1, 2, 3, 4):
        found = []
        for noisy in (False, True):
            start = 0 if not found else grid.index(found[0])
            needed = None
            for size in grid[start:]:
                cycle = np.resize(rng.permutation(alphabet), size)
                out = run(
                    rng,
                    n=50,
                    c=c,
                    alphabet=cycle,
                    strategy="interleave",
                    trials=100,
                    epsilon=EPSILON,
                    flip=0.075 if noisy else 0.0,
                    erase=0.25 if noisy else 0.0,
                )
                if out.detected >= 99:
                    needed = size
                    break
            found.append(needed if needed is not None else grid[-1])
        clean, noisy_size = found
        lines.append(
            f"| {c} | {clean} | {100 * clean / density:,.0f} | {noisy_size} | "
            f"{100 * noisy_size / density:,.0f} |"
        )
    return [*lines, ""]


def text_table() -> tuple[list[str], list[tuple[int, int]]]:
    """The whole pipeline on text: copies for every partner, leaked, traced. Returns the
    table and (detected, trials) for a single 600-word report among 50 partners, exact and
    retyped."""
    from tearline.cli.demo import demo_text
    from tearline.scenario import parse_scenario

    sample = SAMPLE.read_text(encoding="utf-8")
    world = parse_scenario(demo_text()).world
    warning = world.report("rpt-2026-116").text
    demo_reports = [r.text for r in world.reports][-6:]
    six = f"6 demo reports ({sum(len(t.split()) for t in demo_reports)} words)"
    rows = [
        ("600-word report, whole, exact copy", [sample], 1, 50, "exact"),
        ("600-word report, whole, retyped", [sample], 1, 50, "retyped"),
        ("600-word report, half, retyped", [sample], 1, 50, "half"),
        ("600-word report, 2 colluders blended, retyped", [sample], 2, 50, "retyped"),
        ("demo warning (154 words), 4 partners, retyped", [warning], 1, 4, "retyped"),
        (f"{six}, retyped", demo_reports, 1, 50, "retyped"),
        (f"{six}, 2 colluders blended, retyped", demo_reports, 2, 50, "retyped"),
    ]
    lines = [
        "### Text pipeline, end to end",
        "",
        f"Real channels, keyed codewords and tracer; ε = {EPSILON}; a fresh key and fresh "
        "secrets per trial. Retyped: 2 % of letters mistyped, capitals, re-flowed; half: a "
        "contiguous half of the sentences; blended: paragraph by paragraph from each colluder.",
        "",
        "| leak | partners | trials | symbols read | detected | innocents accused |",
        "|---|---|---|---|---|---|",
    ]
    single: list[tuple[int, int]] = []
    for row, (label, texts, c, n, kind) in enumerate(rows):
        trials = 300 if row <= 1 else 60
        detected = framed = read = 0
        for t in range(trials):
            rng = random.Random(1_000_003 * row + t)
            key = rng.randbytes(32)
            partners = [f"p{i:02d}" for i in range(n)]
            colluders = partners[:c]
            streams, leaks = [], []
            for d, text in enumerate(texts):
                # The layout and cutoff the product gives this stream (keyed variants).
                layout = stream_layout(text, key, f"s{d}")
                cutoff = cutoff_for(len(layout.slots))
                secrets = {p: rng.randbytes(32) for p in partners}
                stream = Stream(f"s{d}", f"r{d}", "full", layout, secrets, cutoff)
                streams.append(stream)
                copies = [
                    fingerprint_text(layout, key, stream.id, secrets[p], cutoff) for p in colluders
                ]
                leaked = blend(copies, rng) if c > 1 else copies[0]
                if kind == "half":
                    leaked = excerpt(leaked, 0.5, rng)
                if kind != "exact":
                    leaked = retype(leaked, rng, typos=0.02, upper=True)
                leaks.append(Leak(f"leak-{d}", leaked))
            result = trace(leaks, streams, key, epsilon=EPSILON)
            accused = {a.partner for a in result.accused}
            detected += bool(accused & set(colluders))
            framed += bool(accused - set(colluders))
            read += sum(d.symbols_read for d in result.documents)
        if row <= 1:
            single.append((detected, trials))
        lines.append(
            f"| {label} | {n} | {trials} | {read / trials:.1f} | {rate(detected, trials)} | "
            f"{framed}/{trials} |"
        )
    return [*lines, ""], single


def goals(
    lowest: float, measured: list[tuple[float, int, int]], single: list[tuple[int, int]]
) -> list[str]:
    """The issue's three goals, each with its figure and whether it is met."""
    exceed = [(e, k, n) for e, k, n in measured if clopper_pearson(k, n)[0] > e]
    worst = max(k / n / e for e, k, n in measured)
    (exact, exact_n), (retyped, retyped_n) = single
    return [
        "### Goals",
        "",
        f"- False accusations never exceed ε: {'met' if not exceed else 'NOT met'} — no "
        f"measured rate is significantly above its ε (95 % CP lower bound ≤ ε in all "
        f"{len(measured)} rows); the highest rate is {worst:.2f}·ε, since the bound is nearly "
        "exact for those leaks.",
        f"- A colluder caught ≥ 99 % of the time at (π²/2)·c²·ln(n/ε) symbols: "
        f"{'met' if lowest >= 0.99 else 'not met'} (lowest pooled rate over n and c: "
        f"{lowest:.3f}; each pooled rate rests on 400–1,500 trials, see its CP interval).",
        "- A single leaker among 50 partners named from one full 600-word report: exact copy "
        f"{rate(exact, exact_n)}, retyped {rate(retyped, retyped_n)} — "
        + (
            "met."
            if min(exact / exact_n, retyped / retyped_n) >= 0.99
            else "about 99 %, at the edge of the goal: one 600-word report holds 24 slots; "
            "a second leaked document settles it."
        ),
        "",
    ]


BASELINE_DENSITY = {
    "demo world": 2.66,
    "independent": 2.53,
    "sample-600 (issue 7's)": 3.92,
    "sanitiser evaluation corpus": 2.32,
}
"""Slots per 100 words before issue 17: the channels of issue 7 (commit ac9bef4), measured by
this benchmark's density table at commit f2e8e8b (the sanitiser corpus, added later, by
``detect`` of ac9bef4: ``git archive ac9bef4 src | tar -x -C /tmp/old`` and
``PYTHONPATH=/tmp/old/src``). The old channels are gone from the code, so the baseline is not
re-run here; these are the figures those commands printed."""


def issue17_goals(
    densities: dict[str, float],
    per_report: list[tuple[str, int, float, float]],
    collusion: dict[str, float],
    measured: list[tuple[float, int, int]],
) -> list[str]:
    exceed = [(e, k, n) for e, k, n in measured if clopper_pearson(k, n)[0] > e]
    long = [r for r in per_report if r[1] >= 300]
    lines = ["### Goals of issue 17", ""]
    for name in [n for n in BASELINE_DENSITY if n in densities]:
        d, base = densities[name], BASELINE_DENSITY[name]
        lines.append(
            f"- Slots per 100 words, {name}: {d:.2f} (before: {base:.2f}, ×{d / base:.2f}) — "
            + ("met (≥ 8 and ≥ 3×)." if d >= 8 and d >= 3 * base else "NOT met (goal ≥ 8, ≥ 3×).")
        )
    lines.append(
        "- A single whole leak named ≥ 0.9 for reports of ≥ 300 words: "
        + "; ".join(f"{n} ({w} words) exact {e:.2f}, retyped {r:.2f}" for n, w, e, r in long)
        + (" — met." if all(min(e, r) >= 0.9 for _, _, e, r in long) else " — NOT met.")
        + " No demo report reaches 300 words (151–248); their rates are in the table."
    )
    lines.append(
        "- Two colluders over five reports ≥ 0.9: "
        + ", ".join(f"{k} {v:.2f}" for k, v in collusion.items())
        + (
            " — met for exact leaks."
            if min(collusion["random"], collusion["unheld"]) >= 0.9
            else " — NOT met for exact leaks."
        )
    )
    lines.append(
        f"- False accusations never significantly above ε: {'met' if not exceed else 'NOT met'} "
        f"({len(measured)} calibration rows, short-stream cutoffs included), and the text "
        "tables' innocents-accused counts."
    )
    return [*lines, ""]


def main() -> None:
    started = time.perf_counter()
    rng = np.random.default_rng(20261128)
    alphabet, density, kinds, words, documents = corpus_alphabet()
    out = [
        f"Symmetric Tardos code (Škorić et al.), binary and q-ary slots; cutoff t = {CUTOFF} "
        "in the symbol-level tables and for streams of 300 slots or more, larger for shorter "
        "streams in the text tables (cutoff_for: 0.2 below 30 slots, 0.1 below 100, 0.05 "
        "below 300); "
        "accusation by the per-leak bound (exact convolution on a grid, or Chernoff) at ε/n.",
        "",
        "### Slot density in real text",
        "",
        f"{documents} reports ({words:,} words: the demo world and the 600-word sample): "
        f"{len(alphabet)} slots, **{density:.2f} per 100 words**, "
        f"{sum(math.log2(q) for q in alphabet) / words * 100:.2f} bits per 100 words; by kind: "
        + ", ".join(f"{k} {n}" for k, n in kinds.most_common())
        + "; alphabet sizes: "
        + ", ".join(f"q={q}: {n}" for q, n in sorted(Counter(alphabet.tolist()).items()))
        + ".",
        "",
    ]
    texts = tracing_text.corpora()
    density_lines, densities = tracing_text.density_table(texts)
    single_lines, per_report = tracing_text.single_leak_table(texts)
    collusion_lines, collusion = tracing_text.collusion_table([t for _, t in texts["demo world"]])
    out += ["### Issue 17: capacity, single leaks, two colluders", ""]
    out += density_lines + single_lines + collusion_lines
    calibration, measured = calibration_table(rng)
    if FAST:
        out += calibration
        out += issue17_goals(densities, per_report, collusion, measured)
    else:
        design, lowest = design_table(rng)
        text, single = text_table()
        out += design + partial_table(rng) + calibration
        out += words_table(rng, alphabet, density) + text
        out += issue17_goals(densities, per_report, collusion, measured)
        out += goals(lowest, measured, single)
    out.append(f"_(tracing benchmark: {time.perf_counter() - started:.0f} s)_")
    print("\n".join(out))


if __name__ == "__main__":
    main()
