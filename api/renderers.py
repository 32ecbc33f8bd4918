"""JSON as the API writes it: no control characters in any text (tab and newline kept), as
in the exports, so that no consumer's parser trips on what an import carried in."""

from rest_framework.renderers import JSONRenderer

from editorial.characters import strip_uncarriable


def _cleaned(data):
    if isinstance(data, str):
        return strip_uncarriable(data)
    if isinstance(data, dict):
        return {key: _cleaned(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [_cleaned(value) for value in data]
    return data


class CleanJSONRenderer(JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        return super().render(_cleaned(data), accepted_media_type, renderer_context)
