from faqbot.cli import run

raise SystemExit(run())
