from faqbot.oneshot import run

raise SystemExit(run())
