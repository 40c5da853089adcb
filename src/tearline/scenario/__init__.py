"""Scenario files: parse, validate, explain errors, export."""

from tearline.scenario.crosscheck import KnownIds
from tearline.scenario.loader import Scenario, dump_scenario, parse_scenario, read_scenario

__all__ = ["KnownIds", "Scenario", "dump_scenario", "parse_scenario", "read_scenario"]
