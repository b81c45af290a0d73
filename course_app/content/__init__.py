"""Course package content: reading, checking and loading lessons and quizzes; importers."""
