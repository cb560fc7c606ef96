"""The map of member cities (/map/ and each network's page), issue #18.

Drawn on the server as SVG, without script, tiles or CDN: the country outlines are a
static file built once from Natural Earth (`build_outlines`), and each map carries only
its member cities, aggregated on a grid in the database (`grid`) so that 200,000 cities
draw as at most a few thousand marks (`draw`).
"""
