from functools import wraps


def no_page_cache(view):
    """Never serve `view` from the page cache nor store what it returns."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        return view(*args, **kwargs)

    wrapped.page_cache_exempt = True
    return wrapped
