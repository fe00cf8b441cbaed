"""Help text that reads like a man page: ``kb ingest [OPTIONS] PATH...``, not Typer's default
``{paths}...`` with a ``<list[Path]>`` beside it and a ``<bool>`` beside every flag."""

from __future__ import annotations

from typing import Any

from typer.core import TyperArgument, TyperCommand, TyperOption


class Command(TyperCommand):
    """A command whose usage line names arguments in capitals and whose flags show no type."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if isinstance(param, TyperArgument) and param.metavar is None:
                param.metavar = (param.name or "arg").upper().removesuffix("S") + ("..." if param.nargs != 1 else "")
                param.display_type_rich = _no_type  # type: ignore[method-assign]  # the name says it
            elif isinstance(param, TyperOption) and param.is_flag and param.metavar is None:
                param.metavar = ""  # a flag takes no value: no "<bool>"

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)
        if option is not None:
            option.metavar = ""
        return option

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument):
                name = param.metavar or (param.name or "").upper()
                pieces.append(name if param.required else f"[{name}]")
        return pieces


def _no_type(ctx: Any) -> None:
    return None
