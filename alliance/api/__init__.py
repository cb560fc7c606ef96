"""The portal's open-data face: a read-only REST API at /api/v1/, its tokens and downloads.

The roof of the project: it may import cities, networks and alliance, and nothing
imports it but the URLs and settings.
"""
