from wagtail import hooks

from .library_menu import library_menu_item

hooks.register("register_admin_menu_item", library_menu_item)
