from .middleware import RENDERING
from .placeholder import CSRF_PLACEHOLDER


def csrf(request):
    """While a page is rendered for the cache, `{% csrf_token %}` writes the placeholder that
    the page cache replaces with each visitor's own token (pagecache.middleware). Listed
    after Django's own csrf processor, whose value it overrides."""
    if getattr(request, RENDERING, False):
        return {"csrf_token": CSRF_PLACEHOLDER}
    return {}
