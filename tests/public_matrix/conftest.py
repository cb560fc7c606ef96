"""The public matrix's `world` fixture for the tests of this package (defined in world.py,
where tests elsewhere import it from)."""

from tests.public_matrix.world import world  # noqa: F401 (a fixture)
