"""Shared test material: real report texts and quick copies."""

from __future__ import annotations

import random
from functools import cache

from tearline.cli.demo import demo_text
from tearline.fingerprint import Layout, Stream, biases, codeword, detect, fingerprint_text
from tearline.scenario import parse_scenario

KEY = bytes(range(32))


@cache
def demo_reports() -> tuple[str, ...]:
    return tuple(r.text for r in parse_scenario(demo_text()).world.reports)


def make_stream(
    text: str, partners: list[str], rng: random.Random, stream_id: str = "s1"
) -> tuple[Stream, dict[str, str]]:
    """A stream of ``text`` for ``partners`` and each partner's copy."""
    layout = detect(text)
    secrets = {p: rng.randbytes(32) for p in partners}
    stream = Stream(stream_id, "rpt", "full", layout, secrets)
    return stream, {p: fingerprint_text(layout, KEY, stream_id, secrets[p]) for p in partners}


def word_of(stream: Stream, partner: str) -> tuple[int, ...]:
    layout: Layout = stream.layout
    return codeword(
        KEY, stream.id, stream.recipients[partner], biases(KEY, stream.id, layout.alphabet)
    )
