"""Generated bad input against every form and every directory parameter.

Whatever arrives, the site answers without a 500, stores nothing when it answers with
an error, never renders stored markup unescaped (site pages, the admin, emails) and
never lets a line break into an email header. Derandomised, so CI sees the same
requests every run; FUZZ_REPORT=1 records failures instead of stopping at the first,
and prints how many requests were sent and how many failed.

The values include the kinds that reach a database without a form: NUL characters
(PostgreSQL refuses them in text), lone surrogates (sent as a non-browser client sends
them, as their invalid UTF-8 bytes), numbers beyond 64 bits and ids that are not
numbers. Besides the public forms and the directory, the admin is fuzzed as staff with
a second factor: changelist filters and search, exports, history pages and autocomplete.

The harness (values, strategies, `send` and its checks) is tests/fuzz/harness.py, the
world the requests meet is tests/fuzz/conftest.py, and each test module fuzzes one area.
"""
