"""The live translations of a page, which the head (alternate links, Open Graph locales) and
the header's language links all show: read once per request."""


def live_translations(page, request=None):
    """{language code: page} for every live translation of `page`, itself included."""
    memo = getattr(request, "_live_translations", None) if request is not None else None
    if memo is not None and page.pk in memo:
        return memo[page.pk]
    translations = {
        translation.locale.language_code: translation
        for translation in page.get_translations(inclusive=True).live().select_related("locale")
    }
    if request is not None:
        if memo is None:
            memo = request._live_translations = {}
        memo[page.pk] = translations
    return translations
