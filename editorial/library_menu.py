"""The admin's "Library" menu: one submenu that every app adds its admin views to, so that
no app needs to know another's viewsets.

A viewset goes in it by naming the menu's hook, and is registered as usual:

    class ThemeViewSet(SnippetViewSet):
        menu_hook = LIBRARY_MENU_HOOK
        menu_order = 100

    register_snippet(ThemeViewSet)

`editorial.wagtail_hooks` puts the submenu in the admin's main menu; it shows when at least
one of its items does, as Wagtail's own submenus do."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import Menu, SubmenuMenuItem

LIBRARY_MENU_HOOK = "register_library_menu_item"

# Items are read from the hook when the menu is first drawn, after every app's hooks loaded.
library_menu = Menu(
    register_hook_name=LIBRARY_MENU_HOOK, construct_hook_name="construct_library_menu"
)


def library_menu_item():
    return SubmenuMenuItem(
        _("Library"), library_menu, name="library", icon_name="folder-open-inverse", order=200
    )
