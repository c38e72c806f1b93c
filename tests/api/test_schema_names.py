"""Every schema name in the OpenAPI document means one schema. Django Ninja gathers each
operation's models into one `components.schemas` table by class name, and a second class
of the same name silently replaces the first: clients, and the fuzzer, then check one
app's answers against another app's shape."""

import json

from pydantic import BaseModel

from fangkong.api import api


def _models():
    for router_prefix, router in api._routers:  # noqa: B007
        for path_view in router.path_operations.values():
            for op in path_view.operations:
                for model in op.models:
                    # Query and path parameters are spelled out inline; bodies are
                    # components.
                    if getattr(model, "__ninja_param_source__", None) == "body":
                        yield model
                for model in (op.response_models or {}).values():
                    if isinstance(model, type) and issubclass(model, BaseModel):
                        yield model


def test_each_component_name_names_one_schema():
    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    for model in _models():
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, definition in (schema.get("$defs") or {}).items():
            text = json.dumps(definition, sort_keys=True)
            where = f"{model.__module__}.{model.__qualname__}"
            if name in seen and seen[name][0] != text:
                clashes.append(f"{name}: {seen[name][1]} vs {where}")
            seen.setdefault(name, (text, where))
    assert seen, "no schemas were gathered from the API's operations"
    assert clashes == []


def test_a_renamed_clash_would_be_found():
    """The check itself: two models named alike with different fields are reported."""
    from ninja import Schema

    def make(field: str) -> type[BaseModel]:
        inner = type("Inner", (Schema,), {"__annotations__": {field: int}})
        return type("Outer", (Schema,), {"__annotations__": {"inner": inner}})

    a = make("count").model_json_schema()["$defs"]["Inner"]
    b = make("total").model_json_schema()["$defs"]["Inner"]
    assert json.dumps(a, sort_keys=True) != json.dumps(b, sort_keys=True)
