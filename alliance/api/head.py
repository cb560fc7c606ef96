"""HEAD on the API's routes: answered as GET is, without the body (issue #18).

RFC 9110 §9.3.2: a HEAD request is answered like GET, with the same header fields but
no content; Django's own views do so (View maps head to get), but django-ninja routes
a path by its declared methods and answered HEAD with 405. The API declares GET only
(HEAD in the OpenAPI schema would be an operation per route for clients to read and
for the schema run to test, with nothing new in it), and each of its URL patterns is
wrapped with `answering_head` instead (alliance/api/urls.py).

The view runs as for GET (the same token check, rate limit, ETag and 304), then the
body is dropped with its length kept in Content-Length, as GET would send it: a WSGI
server drops a HEAD answer's body too, but not every one says how long it would be.
"""

import functools


def answering_head(view):
    """`view` (a Django view taking GET) answering HEAD as GET without the body.

    Returns the wrapped view; any other method goes to `view` unchanged.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "HEAD":
            return view(request, *args, **kwargs)
        request.method = "GET"  # what ninja's method routing and the validators see
        try:
            response = view(request, *args, **kwargs)
        finally:
            request.method = "HEAD"
        if not response.streaming and response.content:
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response

    return wrapper
