"""Growth items: the wants a delivered inquiry deferred, raised again at the post-sale check-ins."""
