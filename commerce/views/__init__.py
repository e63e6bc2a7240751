"""The module pages, one file per area; lists.py has each module's list page."""

from commerce.views.lists import MODULE_LISTS, module_page

__all__ = ["MODULE_LISTS", "module_page"]
