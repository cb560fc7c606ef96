"""The networks app's admin: one module per part, imported here so that admin
autodiscovery (which imports `networks.admin`) registers them all.

Cities and their officials are registered here too, not in `cities`: their admin pages
are scoped by the networks a host looks after (networks.access), which `cities` may not
import.
"""

from networks.admin import cities, imports, memberships  # noqa: F401
from networks.applications import admin as applications_admin  # noqa: F401
from networks.involvement import admin as involvement_admin  # noqa: F401
from networks.meetings import admin as meetings_admin  # noqa: F401
from networks.nominations import admin as nominations_admin  # noqa: F401
from networks.policies import admin as policies_admin  # noqa: F401
