"""Small worlds for the security tests (races, forgery, hostile input)."""

from __future__ import annotations

# One source; reports `ra` and `rb` each disclose one of its attributes. The
# protocol permits a full copy while the cumulative risk the copy leads to stays
# below 0.02: one copy leads to 0.014, both together to 0.022 — so whichever goes
# second must be withheld.
RACE = """\
tearline: 1
model:
  dimension_weights: {diplomatic: 0.0, trade: 0.0, military: 0.0, intelligence: 1.0}
actors:
  - {id: home, kind: originator, protection: 1.0}
  - {id: p, name: Partner P, kind: partner, protection: 0.6}
  - {id: q, name: Partner Q, kind: partner, protection: 0.6}
  - {id: r, name: Partner R, kind: partner, protection: 0.6}
  - {id: adv, kind: adversary, protection: 0.0, capacity: 10}
ties:
  - {from: p, to: adv, as_of: 2024-01-01, intelligence: 1.0}
  - {from: q, to: adv, as_of: 2024-01-01, intelligence: 1.0}
sources:
  - id: s1
    population: 1000
    threatened_by: [adv]
    max_risk: 0.5
    attributes:
      - {name: yard, kind: post, value: the northern shipyard, selectivity: 0.5,
         mentions: [northern shipyard]}
      - {name: shift, kind: timing, value: the night shift, selectivity: 0.5,
         mentions: [night shift]}
reports:
  - id: ra
    title: Yard
    category: naval
    classification: SECRET
    sources: [s1]
    text: |
      Our source at the northern shipyard {says|reports|states} that {two|a pair of} hulls
      were {laid down|started|begun} {last week|in recent days|this month}, {both|each} for {export|sale abroad}.
      The yard {expects|plans} to {finish|complete} the work before the winter and will
      then move on to the next order from the same buyer, which is larger.
  - id: rb
    title: Shift
    category: naval
    classification: SECRET
    sources: [s1]
    text: |
      Our source on the night shift says the hulls are for export.
protocols:
  - id: cumulative
    applies_to: [p, q]
    rules:
      - {id: full-below, effect: permit, release: full, when: {cumulative_risk_below: 0.02}}
"""
