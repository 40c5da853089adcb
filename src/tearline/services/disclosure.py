"""What a copy discloses, as the product counts it: the sanitiser's detector.

- A **full** copy discloses what the detector finds in the report's text
  (every surface form it knows, not just the declared phrases).
- A **tearline** copy to a partner is the report sanitised to that partner's
  anonymity target (``services.sanitize.tearline_of``), and its ``worst_k``
  is computed from that very text — the copy the release path would make.
- For the mosaic risk of tearlines, which the risk engine evaluates per
  report and version (not per partner), a tearline is taken to disclose what
  the *most disclosing* tearline any partner may receive still discloses: the
  report sanitised to the lowest target any partner's protocols set. The
  risk of a tearline is therefore an upper bound for every partner (the error
  is on the safe side: decisions can only be stricter than exact).
"""

from __future__ import annotations

from collections.abc import Sequence

from tearline.domain.actors import ActorKind
from tearline.domain.releases import Version
from tearline.domain.reports import Report
from tearline.domain.sources import Source
from tearline.domain.world import World
from tearline.risk.disclosure import Disclosed
from tearline.sanitize import DEFAULT_TARGET_K, Sanitized, disclosures, sanitize
from tearline.sanitize.core import header_fields, vocabulary
from tearline.sanitize.document import join
from tearline.sanitize.targets import tearline_target_k
from tearline.services.approvals import Approval, Approvals


class ProductDisclosure:
    """A ``DisclosureModel`` backed by the sanitiser, for one world."""

    def __init__(self, world: World, approvals: Approvals | None = None) -> None:
        self.world = world
        self.approvals = Approvals.none() if approvals is None else approvals
        self.names = vocabulary(world)
        recipients = [
            a.id for a in world.actors if a.kind in (ActorKind.PARTNER, ActorKind.THIRD_PARTY)
        ]
        self.floor = min((self.target(p) for p in recipients), default=DEFAULT_TARGET_K)
        self._tearlines: dict[tuple[str, float], Sanitized] = {}
        self._disclosed: dict[tuple[str, Version], Disclosed] = {}

    def target(self, partner: str) -> float:
        """The anonymity target of the partner's tearlines (default when none)."""
        found = tearline_target_k(self.world, partner)
        return DEFAULT_TARGET_K if found is None else found

    def tearline(self, report: Report, target: float) -> Sanitized:
        key = (report.id, target)
        if key not in self._tearlines:
            sources = [s for s in self.world.sources if s.id in report.sources]
            self._tearlines[key] = sanitize(report, sources, target_k=target, world=self.world)
        return self._tearlines[key]

    def __call__(self, report: Report, sources: Sequence[Source], version: Version) -> Disclosed:
        key = (report.id, version)
        if key not in self._disclosed:
            if version is Version.FULL:
                # A full copy carries the report's title, id and category too.
                text = join(header_fields(report), report.plain_text)[0]
            else:
                text = self.tearline(report, self.floor).released
            self._disclosed[key] = disclosures(text, sources, self.names)
        return self._disclosed[key]

    def tearline_for(self, report: Report, partner: str) -> Sanitized:
        """The tearline a copy to ``partner`` is made of (its target's)."""
        return self.tearline(report, self.target(partner))

    def tearline_k(self, report: Report, partner: str) -> float:
        """The smallest anonymity set the partner's tearline leaves any source:
        a certified lower bound (``tearline_fit``)."""
        return self.tearline_fit(report, partner)[0]

    def approval_for(self, report: Report, partner: str) -> Approval | None:
        """The named reviewer's approval of exactly the partner's tearline."""
        return self.approvals.for_text(report.id, partner, self.tearline_for(report, partner))

    def tearline_fit(self, report: Report, partner: str) -> tuple[float, bool]:
        """The partner's tearline: the smallest anonymity set it leaves any
        source, and whether it meets the partner's target (if not, no tearline
        copy can be made: the decision refuses it). When the sanitiser could not
        verify its k (``k_verified`` false) and no named reviewer approved that
        exact text for this partner, the only certified bound is 1: an
        unverified tearline meets no target."""
        result = self.tearline_for(report, partner)
        if not result.k_verified and self.approval_for(report, partner) is None:
            return 1.0, False
        return min((s.k for s in result.sources), default=float("inf")), result.meets_target
