"""Signals of the framework around the apps: hooks, never business logic.

`worker_starting` is sent by `agora worker` before it takes its first task, so an app can
seed recurring work (the audit app seeds its tree-head cadence); receivers are connected
in their app's `ready()`.
"""

from django.dispatch import Signal

worker_starting = Signal()
