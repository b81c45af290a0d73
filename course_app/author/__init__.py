from . import views_courses, views_items, views_lessons, views_questions, views_quizzes  # noqa: F401
from .views import bp

__all__ = ["bp"]
