"""tearline — share intelligence with partners without exposing the people who provided it."""

from tearline.domain.errors import TearlineError

__version__ = "0.1.0"
__all__ = ["TearlineError", "__version__"]
