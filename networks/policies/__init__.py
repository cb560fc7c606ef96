"""Policies: the library of adopted policies (submitted, reviewed, accepted) and the
roadmap of which member city follows which model policy (issue #17)."""
