"""Filtered, counted, paginated listings of practices and guides."""


class LibraryListing:
    def __init__(self, request, model, index_page):
        self.request = request
        self.model = model
        self.index_page = index_page
