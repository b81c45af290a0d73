"""The database models, one module per aggregate."""

from .attempt import Answer, Attempt
from .audit import AuditEvent
from .certificate import Certificate
from .course import Cohort, Course, Enrolment, Lesson, LessonProgress, Media, Module, cohort_trainer
from .generation import ContentGeneration
from .quiz import Question, Quiz
from .recovery import PasswordResetToken
from .revision import ContentDraft, ContentRevision
from .user import User

__all__ = [
    "Answer", "Attempt", "AuditEvent", "Certificate", "Cohort", "ContentDraft", "ContentGeneration",
    "ContentRevision",
    "Course", "Enrolment", "Lesson",
    "LessonProgress", "Media", "Module", "PasswordResetToken", "Question", "Quiz", "User",
    "cohort_trainer",
]
