"""Keep Wagtail group membership in step with organisation memberships."""
