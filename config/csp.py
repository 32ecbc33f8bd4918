"""The Content-Security-Policy of the site, sent by django-csp's middleware.

Public pages run only the site's own files: no inline script or style (no 'unsafe-inline').
The Wagtail and Django admins are not ours to rewrite: Wagtail's page editor runs inline
scripts (its inline panels start that way; the browser refuses them under the public policy),
and its widgets' libraries may add style elements. Responses under the admins' prefixes get
the same policy relaxed by 'unsafe-inline' for scripts and styles only."""

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware

ADMIN_PREFIXES = ("/admin/", "/django-admin/")
ADMIN_RELAXATION = {"script-src": [UNSAFE_INLINE], "style-src": [UNSAFE_INLINE]}


class SiteCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if request.path_info.startswith(ADMIN_PREFIXES):
            parts.update = {**ADMIN_RELAXATION, **(parts.update or {})}
        return parts
