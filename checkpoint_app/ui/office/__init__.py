"""The office desk: the property manager's and the admin's pages behind their sign-on (issue 13).

``shell.py`` is the frame (a navigation column and one page at a time); each page is a module of
its own. ``background.py`` is the one door to background work, so it can be re-pointed later.
"""
