from . import (
    audit_views,  # noqa: F401  (its routes join the blueprint)
    jobs_views,  # noqa: F401  (its routes join the blueprint)
    mail_views,  # noqa: F401  (its routes join the blueprint)
    staff_views,  # noqa: F401  (its routes join the blueprint)
)
from .views import bp

__all__ = ["bp"]
