"""Who is acting when no person is: the command line run by an operator on the server.

Services take an explicit actor. `None` never means "allowed"; a trusted shell passes
`SYSTEM` instead, so every privileged path names who it acts for.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class SystemActor:
    name: str

    is_authenticated = True

    def __str__(self) -> str:
        return f"system ({self.name})"


SYSTEM = SystemActor("command line")
