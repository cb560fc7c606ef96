"""Spreadsheet imports of cities and memberships, in the background (issue #19).

The secretariat (or a host, for memberships of its own networks) uploads a file in the
admin; a Celery task reads the whole file and builds a preview (`run.preview`); once
confirmed, another task writes it (`run.execute`) set-based, a batch at a time, inside
one transaction, so that a refused row or a cancel leaves nothing behind. The file is
streamed (`reading.py`): the worker's memory does not grow with the file.
"""
