"""Sharing protocols as Cedar policies, and the one decision function."""

from tearline.protocols.decide import Decider, Decision, Outcome, Reason, decide
from tearline.protocols.figures import Figures

__all__ = ["Decider", "Decision", "Figures", "Outcome", "Reason", "decide"]
