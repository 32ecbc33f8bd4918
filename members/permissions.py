from wagtail.permission_policies.pages import PagePermissionTester


class OrganisationPagePermissionTester(PagePermissionTester):
    """Limits organisation members to their own organisation's pages."""
