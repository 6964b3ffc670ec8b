"""The Step Functions interpreter lexes and parses the ASL with ANTLR for every execution.

``ExecutionWorker._get_evaluation_entrypoint`` calls ``AmazonStateLanguageParser.parse`` on the
definition each time an execution starts (and ``create_state_machine`` once more to validate):
about 20 ms of pure-Python ANTLR for the shop's definition. The parse tree depends only on the
definition text and the preprocessor only reads it, so the tree (or the syntax errors) is kept
per definition and the preprocessor still builds fresh evaluation components for every
execution: no state is shared between executions.
"""

from __future__ import annotations

import functools
import threading
from typing import Any

from moto.stepfunctions.parser.asl.parse import asl_parser as asl_parser_module
from moto.stepfunctions.parser.asl.parse.asl_parser import (
    AmazonStateLanguageParser,
    ASLParserException,
)

from local.moto_patches.errors import require_source

# Typed loosely: ANTLR's runtime is untyped and the names are the module's imports.
asl_parser: Any = asl_parser_module
_ORIGINAL = AmazonStateLanguageParser.__dict__["parse"]
_lock = threading.Lock()


@functools.lru_cache(maxsize=64)
def _tree(definition: str) -> tuple[Any, tuple[str, ...]]:
    listener = asl_parser.SyntaxErrorListener()
    lexer = asl_parser.ASLLexer(asl_parser.InputStream(definition))
    parser = asl_parser.ASLParser(asl_parser.CommonTokenStream(lexer))
    parser.removeErrorListeners()
    parser.addErrorListener(listener)
    return parser.state_machine(), tuple(listener.errors)


def parse(definition: str) -> tuple[Any, Any]:
    with _lock:  # ANTLR's prediction cache is shared by every parser: one parse at a time
        tree, errors = _tree(definition)
    if errors:
        raise ASLParserException(errors=list(errors))
    return asl_parser.Preprocessor().visit(tree), tree


def apply() -> None:
    if AmazonStateLanguageParser.__dict__["parse"].__func__ is parse:
        return
    require_source(
        _ORIGINAL.__func__,
        "ASLLexer(input_stream)",
        "parser.state_machine()",
        "Preprocessor()",
        "return program, tree",
    )
    AmazonStateLanguageParser.parse = staticmethod(parse)  # type: ignore[method-assign]


def cache_info() -> Any:
    return _tree.cache_info()
