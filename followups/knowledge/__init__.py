"""The knowledge base (/knowledge/): articles staff write once so every colleague gives the same
answer. Markdown rendered safely, categories, tags, links to the clients an article is about,
and every edit kept as a numbered revision with a diff between any two."""
