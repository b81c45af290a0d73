"""Pure domain logic of course_app: plain data in, plain data out (no Flask, no database)."""
