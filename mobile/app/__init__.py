"""The Kivy app: screens (``name.py`` + ``name.kv``) that draw presenters' views.

Import ``mobile.app.main`` only after the environment is set (``mobile.app.env``): Kivy reads
its configuration when first imported.
"""
