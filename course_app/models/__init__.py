"""The database models, one module per aggregate."""

from .api_key import ApiKey
from .attempt import Answer, Attempt
from .audit import AuditEvent
from .certificate import Certificate
from .course import Cohort, Course, Enrolment, Lesson, LessonProgress, Media, Module, cohort_trainer
from .generation import ContentGeneration
from .mail_log import MailLog
from .notification import NotificationOptOut, NotificationSent
from .organisation import IssuerImage, Organisation, OrganisationImage, course_offering
from .password_batch import PasswordBatch
from .quiz import Question, Quiz
from .recovery import PasswordResetToken
from .revision import ContentDraft, ContentRevision
from .schedule import Override, QuizWindow
from .user import User

__all__ = [
    "ApiKey", "IssuerImage", "Organisation", "OrganisationImage", "Override", "QuizWindow",
    "course_offering",
    "Answer", "Attempt", "AuditEvent", "Certificate", "Cohort", "ContentDraft", "ContentGeneration",
    "ContentRevision",
    "Course", "Enrolment", "Lesson",
    "LessonProgress", "MailLog", "Media", "Module", "NotificationOptOut", "NotificationSent",
    "PasswordBatch", "PasswordResetToken", "Question", "Quiz", "User",
    "cohort_trainer",
]
