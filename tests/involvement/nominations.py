"""What the nomination tests share: the day as a unit of time."""

import datetime

DAY = datetime.timedelta(days=1)
