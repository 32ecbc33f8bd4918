from django.dispatch import Signal

# Sent once after an import made many pages live without revisions (Wagtail sends no
# `page_published` then), with `pages`: the pages created or updated. Listeners that follow
# publishing, such as the search index, handle the whole batch at once.
pages_imported = Signal()

# Sent when a quality review is saved or deleted, with `practice_ids`: the practices whose
# quality label may have changed.
quality_reviews_changed = Signal()
