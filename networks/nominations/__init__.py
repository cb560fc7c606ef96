"""Nominations for the Alliance's events and workshops (issue #17): a meeting opened for
nominations, the public list of open calls, the nominee's decline link, the
secretariat's and hosts' decisions, and the invited nominees' reminders."""
