"""Small scenario texts used across tests (the demo world is tested separately)."""

from __future__ import annotations

SMALL = """\
tearline: 1
model:
  dimension_weights: {diplomatic: 0.3, trade: 0.1, military: 0.5, intelligence: 0.8}
  default_capacity: 40
  default_max_risk: 0.05
actors:
  - {id: home, name: Home Service, kind: originator, protection: 0.95}
  - {id: hub, name: Hub State, kind: partner, protection: 0.6}
  - {id: ally, name: Ally State, kind: partner, protection: 0.8}
  - {id: adv, name: Adversary, kind: adversary, protection: 0.1, capacity: 30}
groups:
  - {id: alliance, name: The Alliance, members: [hub, ally]}
  - {id: everyone, members: [alliance, home]}
ties:
  - {from: hub, to: adv, as_of: 2024-01-01, diplomatic: 0.2, trade: 0.3, military: 0.05, intelligence: 0.02}
  - {from: hub, to: adv, as_of: 2025-01-01, diplomatic: 0.5, trade: 0.6, military: 0.3, intelligence: 0.2}
  - {from: ally, to: hub, as_of: 2024-01-01, intelligence: 0.7}
sources:
  - id: src-kestrel
    codename: KESTREL
    population: 12000
    threatened_by: [adv]
    identity: Colonel Ilya Varnov
    max_risk: 0.02
    attributes:
      - name: employer
        kind: employer
        value: procurement directorate of the defence ministry
        selectivity: 0.02
        generalizations:
          - {value: the defence ministry, selectivity: 0.3}
          - {value: the defence sector, selectivity: 0.8}
        mentions: [the ministry's procurement directorate]
      - name: travel
        kind: timing
        value: visited the northern yard on 14 March
        selectivity: 0.01
reports:
  - id: rep-1
    title: Procurement of guidance sets
    category: counter-proliferation
    classification: SECRET
    controls: [ORCON]
    approved_for: [alliance]
    originator: home
    date: 2025-03-20
    sources: [src-kestrel]
    text: |
      A source in the procurement directorate of the defence ministry reports that
      guidance sets were ordered in March.
protocols:
  - id: alliance-standard
    name: Alliance standard
    applies_to: [alliance]
    rules:
      - {id: no-noforn, effect: forbid, when: {controls: [NOFORN]}}
      - {id: full-low-risk, effect: permit, release: full, when: {marginal_risk_below: 0.0001}}
      - {id: tearline-k, effect: permit, release: tearline, when: {k_at_least: 1000}}
    terms: {attribution: must-not, onward_sharing: forbidden, valid_from: 2025-01-01}
releases:
  - {report: rep-1, partner: hub, version: full, at: 2025-03-21T09:30:00Z, note: first}
  - {id: rel-two, report: rep-1, partner: ally, version: tearline, at: 2025-03-22}
"""

IDENTITY = "Colonel Ilya Varnov"
