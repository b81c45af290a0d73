from . import batch_views, enrol, invite_views  # noqa: F401  (their routes join the blueprint)
from .views import bp

__all__ = ["bp"]
