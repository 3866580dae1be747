"""MkDocs hooks for `make serve`: the preview's docs folder holds pages already rendered to HTML.

`make site` attaches the same plugin to its configuration directly (mkdocs_backend.build).
"""

from generator.build.mkdocs_site import GeneratedPages

_pages = GeneratedPages()
on_config = _pages.on_config
on_env = _pages.on_env
on_nav = _pages.on_nav
on_page_context = _pages.on_page_context
on_pre_page = _pages.on_pre_page
on_page_markdown = _pages.on_page_markdown
on_post_page = _pages.on_post_page
