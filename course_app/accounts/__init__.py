from . import invite, recovery  # noqa: F401  (their routes join the blueprint)
from .views import bp

__all__ = ["bp"]
