from faqbot.cli import main

raise SystemExit(main())
