"""fill_directory's parts (alliance/management/commands/fill_directory.py drives them).

Read in this order:
- `names`: slugs as the portal makes them, a gazetteer city's other names;
- `networks`: the networks new cities join (one regional per region, the top national
  ones), found or made;
- `planner`: one city with its memberships and pledges, real (a gazetteer row) or
  synthetic (a name derived from one), from a generator seeded by the city's identity,
  so a city gets the same figures whichever run or batch makes it;
- `sequence`: every city still to add, real ones first, then synthetic names;
- `writing`: one batch written with bulk inserts, and the derived fields the signals
  would have kept (member_since, is_member, member_facts) refreshed set-based;
- `progress`: the progress bar and the timings of -v 2.
"""
