"""The admin's permission matrix: every registered admin URL and action, for every kind
of visitor, and a host's forms and services kept inside the host's networks.

rules.py: who may open what (the expectations and how an answer reads); objects.py: one
object per admin, made for a network; conftest.py: the `world` of two networks' objects
and what lies `outside` a host's networks; test_permission_matrix.py: the URLs and
actions per role; test_host_forms.py: a host's forms, autocomplete and services.
"""
