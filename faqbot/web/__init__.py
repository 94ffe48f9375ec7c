"""faqbot over HTTP: the JSON API, server-side sessions and the embeddable help widget.

Needs the ``web`` extra (Starlette and uvicorn): ``pip install 'faqbot[web]'``.

    >>> from faqbot import Bot, load_knowledge, shipped_knowledge_dir
    >>> from faqbot.web import create_app
    >>> app = create_app(Bot(load_knowledge(shipped_knowledge_dir())))
"""

from faqbot.web.app import create_app
from faqbot.web.limits import ConnectionLimits
from faqbot.web.server import serve

__all__ = ["ConnectionLimits", "create_app", "serve"]
