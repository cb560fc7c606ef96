"""The public site's permission matrix: who may open what, per URL pattern and role.

roles.py: the roles and the URL patterns walked; expected.py: the status each role gets
from each URL; world.py: the objects and accounts the URLs are opened with (the `world`
fixture, given to this package's tests by conftest.py); test_permission_matrix.py: the
tests.
"""
