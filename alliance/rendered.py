"""Rendered pieces kept by what they show: a piece is drawn again only when its data changed.

Every change to the public data starts a new data version (alliance/data_version.py), and
the pieces kept per version are then rebuilt: the first visit after a change anywhere
(a city renamed on another continent) paid the queries and the rendering of every
section of a network page again, some 100 ms at 200,000 cities (issue #21). The
queries must run again, since only they say what changed, but the rendering need not:
`render_kept` keys the rendered HTML by a digest of the template's context, so the same
context is rendered once, and a changed one is a different key. A kept piece cannot go
stale, whatever changed and whoever changed it; it only ages out of the cache.

The context is digested through pickle, which captures every loaded field of every model
instance in it (and the related rows and prefetched lists they carry), so what the
template reads from it is in the key. What it may not hold: a request, a form, a CSRF
token, a user (the piece is shared by every visitor), or a lazy object the template
resolves with queries of its own (a QuerySet is evaluated when pickled, so its rows are
in the key; a related manager's `.all()` called from the template is not: prefetch it).
"""

import hashlib
import pickle

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

# A piece cannot go stale, so it may outlive a data version (60 s): long enough for a
# page visited every few minutes to find its pieces after each change.
SECONDS = 15 * 60


def digest(context: dict) -> str:
    """A hex digest (SHA-256) of `context`'s content, as pickle writes it.

    Raises pickle.PicklingError (or TypeError) for what cannot be kept: a request, a form.
    """
    return hashlib.sha256(pickle.dumps(context, protocol=pickle.HIGHEST_PROTOCOL)).hexdigest()


def render_kept(template_name: str, context: dict, seconds: int = SECONDS) -> SafeString:
    """`template_name` rendered with `context` (no request: nothing per visitor), kept
    `seconds` under the template, the active language and the context's digest.

    Returns the HTML as a SafeString. The same context gives the kept HTML without
    rendering; any change to it (a name, a count, a row more) renders afresh.
    """
    key = f"rendered:{template_name}:{get_language()}:{digest(context)}"
    html = cache.get(key)
    if html is None:
        html = render_to_string(template_name, context)
        cache.set(key, html, seconds)
    return mark_safe(html)  # noqa: S308 (a template's output)
