"""Use cases: load rows, call the domain, write rows. They flush; the caller commits once."""
