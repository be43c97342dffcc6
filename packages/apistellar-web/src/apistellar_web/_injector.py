"""Dependency injection: plans computed once at start-up, run per request.

A *plan* is a flat list of steps for a chain of functions (hooks, the handler). Each step
calls one function with values taken from the per-request ``state`` dict and stores its
result under a key. Component steps are skipped when their key is already in the state,
so a value is resolved at most once per request and the error path reuses what the normal
path resolved -- without the plan ever depending on request state (the original's plan
cache did, which turned 404s into 200s).

A plan is compiled, on its first run, into one generated coroutine function that makes
its calls in order (keyword arguments read from the state, awaits decided at start-up),
so a request pays for no generic step loop; :func:`run_steps` runs it.
"""

import asyncio
import inspect
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from apistar.server.components import ReturnValue

from .exceptions import ConfigurationError

__all__ = ["Injector", "Plan", "Step", "compile_plan", "run_steps"]


class Step(NamedTuple):
    """One call in a plan."""

    func: Callable[..., Any]
    is_async: bool | None  # None: not known until the value is seen
    kwargs: Mapping[str, str]
    consts: Mapping[str, Any]
    output: str
    set_return: bool
    reusable: bool
    in_thread: bool


def _name(func: Callable[..., Any]) -> str:
    return str(getattr(func, "__qualname__", None) or getattr(func, "__name__", repr(func)))


def _signature(func: Callable[..., Any]) -> inspect.Signature:
    return inspect.signature(func)


class Injector:
    """Build plans from components and a table of *initial* annotations.

    Args:
        components: tried in order; the first whose ``can_handle_parameter`` accepts a
            parameter resolves it.
        initial: annotation -> state key for values the server puts in the state itself.
        auto_component: called with an annotation no component handles; may return a new
            component for it (services are registered this way on first use).
    """

    def __init__(
        self,
        components: Sequence[Any],
        initial: Mapping[Any, str],
        auto_component: Callable[[Any], Any] | None = None,
    ) -> None:
        self.components = list(components)
        self.initial = dict(initial)
        self.auto_component = auto_component

    def _initial_key(self, annotation: Any) -> str | None:
        try:
            key: str | None = self.initial.get(annotation)
            return key
        except TypeError:  # unhashable annotation
            return None

    def _resolve(
        self,
        func: Callable[..., Any],
        output: str,
        seen: set[str],
        parent: inspect.Parameter | None,
        *,
        set_return: bool,
        reusable: bool,
        in_thread: bool,
        owner: str,
    ) -> list[Step]:
        steps: list[Step] = []
        kwargs: dict[str, str] = {}
        consts: dict[str, Any] = {}
        for parameter in _signature(func).parameters.values():
            if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
                continue
            annotation = parameter.annotation
            if annotation is ReturnValue:
                kwargs[parameter.name] = "return_value"
                continue
            key = self._initial_key(annotation)
            if key is not None:
                kwargs[parameter.name] = key
                continue
            if annotation is inspect.Parameter:
                consts[parameter.name] = parent
                continue
            candidates = self.components
            if self.auto_component is not None and not any(
                c.can_handle_parameter(parameter) for c in candidates
            ):
                made = self.auto_component(annotation)
                if made is not None:
                    self.components.insert(len(self.components) - 1, made)
            for component in self.components:
                if component.can_handle_parameter(parameter):
                    identity = component.identity(parameter)
                    kwargs[parameter.name] = identity
                    if identity not in seen:
                        seen.add(identity)
                        steps += self._resolve(
                            component.resolve,
                            identity,
                            seen,
                            parameter,
                            set_return=False,
                            reusable=True,
                            in_thread=False,
                            owner=owner,
                        )
                    break
            else:
                where = _name(func) if parent is None else f"{_name(func)} (needed by {owner})"
                name = parameter.name
                msg = f'No component able to handle parameter "{name}" on function "{where}".'
                raise ConfigurationError(msg)
        is_async = inspect.iscoroutinefunction(func) or inspect.iscoroutinefunction(
            getattr(func, "__call__", None)  # noqa: B004 - async callable objects
        )
        # Plain ``def`` functions and methods never return awaitables worth awaiting;
        # anything else (partials, callable objects) is checked at run time.
        plain = inspect.isfunction(func) or inspect.ismethod(func)
        steps.append(
            Step(
                func,
                True if is_async else (False if plain else None),
                kwargs,
                consts,
                output,
                set_return,
                reusable,
                in_thread and not is_async,
            )
        )
        return steps

    def plan(
        self,
        funcs: Iterable[Callable[..., Any]],
        *,
        threaded: Callable[[Callable[..., Any]], bool] = lambda func: False,
    ) -> "Plan":
        """Return the steps that run ``funcs`` in order, each after its dependencies.

        Raises:
            ConfigurationError: a parameter no component can provide, naming it and the
                function.
        """
        steps: list[Step] = []
        seen = set(self.initial.values()) | {"return_value"}
        for func in funcs:
            returns = _signature(func).return_annotation
            output = self._initial_key(returns) or "return_value"
            steps += self._resolve(
                func,
                output,
                seen,
                None,
                set_return=True,
                reusable=False,
                in_thread=threaded(func),
                owner=_name(func),
            )
        return Plan(steps)


Runner = Callable[[dict[str, Any]], Awaitable[Any]]


class Plan(list[Step]):
    """The steps of a plan, and the coroutine function they compile to (on first run)."""

    __slots__ = ("_compiled", "_compiled_length")

    def __init__(self, steps: Iterable[Step] = ()) -> None:
        super().__init__(steps)
        self._compiled: Runner | None = None
        self._compiled_length = -1

    @property
    def run(self) -> Runner:
        """``await plan.run(state)``: the plan's calls, compiled (again if steps changed)."""
        if self._compiled is None or self._compiled_length != len(self):
            self._compiled = compile_plan(self)
            self._compiled_length = len(self)
        return self._compiled


def compile_plan(steps: Sequence[Step]) -> Runner:
    """One coroutine function doing what :func:`run_steps` does with ``steps``.

    Each step becomes a call with its keyword arguments read from the state; whether to
    await it (or run it in a thread) and where its result goes are decided here, once.
    """
    namespace: dict[str, Any] = {
        "_isawaitable": inspect.isawaitable,
        "_to_thread": asyncio.to_thread,
    }
    lines = ["async def run(state):", "    value = None"]
    for index, step in enumerate(steps):
        func, is_async, kwargs, consts, output, set_return, reusable, in_thread = step
        namespace[f"f{index}"] = func
        arguments = [f"{name}=state[{key!r}]" for name, key in kwargs.items()]
        for number, (name, const) in enumerate(consts.items()):
            namespace[f"c{index}_{number}"] = const
            arguments.append(f"{name}=c{index}_{number}")
        call = f"f{index}({', '.join(arguments)})"
        indent = "    "
        if reusable:
            lines.append(f"    if {output!r} not in state:")
            indent = "        "
        if in_thread:
            threaded = ", ".join([f"f{index}", *arguments])
            lines.append(f"{indent}value = await _to_thread({threaded})")
        elif is_async:
            lines.append(f"{indent}value = await {call}")
        else:
            lines.append(f"{indent}value = {call}")
            if is_async is None:
                lines.append(f"{indent}if _isawaitable(value):")
                lines.append(f"{indent}    value = await value")
        stores = [f"state[{output!r}] = value"]
        if set_return and output != "return_value":
            stores.append('state["return_value"] = value')
        if output == "response":  # a hook that returns nothing keeps the current response
            lines.append(f"{indent}if value is not None:")
            indent += "    "
        lines += [indent + store for store in stores]
    lines.append("    return value")
    code = compile("\n".join(lines), f"<plan of {len(steps)} steps>", "exec")
    exec(code, namespace)  # noqa: S102 - source generated above from the plan's own steps
    run: Runner = namespace["run"]
    return run


def run_steps(steps: Sequence[Step], state: dict[str, Any]) -> Awaitable[Any]:
    """Run a plan against ``state``: await it for the value of the last step.

    A :class:`Plan` gives its compiled coroutine at once (no coroutine around it: this is
    called once per request); other step sequences are run step by step.
    """
    if isinstance(steps, Plan):
        return steps.run(state)
    return _run_each(steps, state)


async def _run_each(steps: Sequence[Step], state: dict[str, Any]) -> Any:
    value: Any = None
    for func, is_async, kwargs, consts, output, set_return, reusable, in_thread in steps:
        if reusable and output in state:
            continue
        arguments = {name: state[key] for name, key in kwargs.items()}
        if consts:
            arguments.update(consts)
        if in_thread:
            value = await asyncio.to_thread(func, **arguments)
        else:
            value = func(**arguments)
            if is_async or (is_async is None and inspect.isawaitable(value)):
                value = await value
        if value is None and output == "response":
            continue  # a hook that returns nothing keeps the current response
        state[output] = value
        if set_return:
            state["return_value"] = value
    return value
