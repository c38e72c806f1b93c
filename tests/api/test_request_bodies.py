"""Issue #16 item 7: the OpenAPI document states the true request body of every operation,
so clients know what to send and the fuzzer fuzzes the inputs the handlers really read.

For every operation of `fangkong.api.api`:
- the documented body (its components resolved) has the fields, required fields and types
  of the models Django Ninja parses for the handler — a component of the same name from
  another app cannot stand in for it;
- the handler reads no body by hand (`request.body`, `request.POST`, `request.FILES`,
  `json.loads`): what it reads is a declared parameter;
- no part of a body is a free-form object (a `dict` or `Any` without declared fields or
  typed values), which would document "anything" for a handler that expects particular keys;
- an operation that parses no body documents none."""

import inspect
import json
import re
from typing import Any

import pytest

from fangkong.api import api

BODY_SOURCES = {"body", "form", "file"}
BY_HAND = re.compile(
    r"request\.(body|data)\b|request\.(POST|FILES)\s*(\.|\[)|json\.loads\(\s*request"
)


def shape(s: Any) -> Any:
    """The structure of a JSON schema: fields, required fields, types and value types;
    not titles, descriptions or defaults (Ninja drops a `null` default)."""
    if not isinstance(s, dict):
        return s
    if "allOf" in s and len(s["allOf"]) == 1:
        return shape({**{k: v for k, v in s.items() if k != "allOf"}, **s["allOf"][0]})
    out: dict[str, Any] = {}
    for key in ("anyOf", "oneOf"):
        if key in s:
            out[key] = sorted((shape(x) for x in s[key]), key=repr)
    if "properties" in s or s.get("type") == "object":
        out["fields"] = {k: shape(v) for k, v in (s.get("properties") or {}).items()}
        out["required"] = sorted(s.get("required") or [])
        if "additionalProperties" in s:
            extra = s["additionalProperties"]
            out["values"] = shape(extra) if isinstance(extra, dict) else extra
    if "items" in s:
        out["items"] = shape(s["items"])
    for key in ("type", "enum", "format", "const"):
        if key in s:
            out[key] = s[key]
    return out


def inline(s: Any, defs: dict[str, Any], seen: tuple[str, ...] = ()) -> Any:
    """The schema with every `$ref` replaced by what it names (a cycle left as its name)."""
    if isinstance(s, dict):
        if "$ref" in s:
            name = s["$ref"].rsplit("/", 1)[-1]
            return {"$cycle": name} if name in seen else inline(defs[name], defs, (*seen, name))
        return {k: inline(v, defs, seen) for k, v in s.items() if k != "$defs"}
    if isinstance(s, list):
        return [inline(v, defs, seen) for v in s]
    return s


def free_form(s: Any, where: str = "") -> list[str]:
    """Places in a schema that accept any object or any value."""
    if not isinstance(s, dict):
        return []
    found = []
    if s == {} or (
        s.get("type") == "object"
        and not s.get("properties")
        and s.get("additionalProperties") in (None, True, {})
    ):
        found.append(where or "(body)")
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in s.get(key, []):
            found += free_form(sub, where)
    for name, sub in (s.get("properties") or {}).items():
        found += free_form(sub, f"{where}.{name}")
    if isinstance(s.get("items"), dict):
        found += free_form(s["items"], f"{where}[]")
    if isinstance(s.get("additionalProperties"), dict) and s["additionalProperties"]:
        found += free_form(s["additionalProperties"], f"{where}{{}}")
    return found


def expected_body(models: list[Any]) -> Any:
    """The body Django Ninja parses: one JSON model is the body itself; form and file
    parameters are the fields of one multipart form."""
    merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
    for model in models:
        js = model.model_json_schema(mode="validation", ref_template="#/$defs/{model}")
        schema = inline(js, js.get("$defs", {}))
        if len(models) == 1 and model.__ninja_param_source__ == "body":
            (only,) = schema["properties"].values()  # Ninja lifts the one body parameter
            return only
        merged["properties"].update(schema.get("properties", {}))
        merged["required"] += schema.get("required", [])
    return merged


def operations():
    doc = api.get_openapi_schema()
    components = doc["components"]["schemas"]
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            full = re.sub(r"\{(?:\w+:)?(\w+)\}", r"{\1}", f"/api/v1{prefix}{path}")
            for op in path_view.operations:
                for method in op.methods:
                    documented = doc["paths"][full][method.lower()].get("requestBody")
                    yield f"{method} {full}", op, documented, components


OPERATIONS = list(operations())


def test_the_api_has_operations_with_bodies():
    with_body = [name for name, _op, documented, _c in OPERATIONS if documented]
    assert len(OPERATIONS) > 200 and len(with_body) > 100


def test_every_documented_body_is_what_the_handler_parses():
    wrong = []
    for name, op, documented, components in OPERATIONS:
        models = [m for m in op.models if m.__ninja_param_source__ in BODY_SOURCES]
        if not models:
            if documented:
                wrong.append(f"{name}: documents a body the handler does not read")
            continue
        if not documented:
            wrong.append(f"{name}: reads a body the document does not state")
            continue
        ((_content_type, content),) = documented["content"].items()
        got = shape(inline(content["schema"], components))
        want = shape(expected_body(models))
        if got != want:
            wrong.append(
                f"{name}: documented {json.dumps(got)[:200]} parsed {json.dumps(want)[:200]}"
            )
    assert wrong == []


def test_no_handler_reads_the_body_by_hand():
    by_hand = [
        name
        for name, op, _documented, _c in OPERATIONS
        if BY_HAND.search(inspect.getsource(op.view_func))
    ]
    assert by_hand == []


def test_no_body_is_free_form():
    loose = []
    for name, _op, documented, components in OPERATIONS:
        for content in (documented or {}).get("content", {}).values():
            for where in free_form(inline(content["schema"], components)):
                loose.append(f"{name} {where}")
    assert loose == []


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "object", "properties": {"data": {"type": "object"}}}, [".data"]),
        ({"type": "object", "additionalProperties": True}, ["(body)"]),
        ({"properties": {"rules": {"additionalProperties": {}, "type": "object"}}}, [".rules"]),
        ({"properties": {"x": {}}}, [".x"]),
        (
            {
                "properties": {
                    "data": {"type": "object", "additionalProperties": {"type": "integer"}}
                }
            },
            [],
        ),
    ],
)
def test_a_free_form_body_would_be_found(schema, expected):
    assert free_form(schema) == expected


def test_a_body_documented_by_another_apps_schema_would_be_found():
    """The comparison itself: a same-named component with other fields differs."""
    from ninja import Schema

    class Parsed(Schema):
        node_code: str
        period: str

    documented = {"$ref": "#/components/schemas/Clash"}
    components = {"Clash": {"type": "object", "properties": {"node_code": {"type": "string"}}}}
    parsed = Parsed.model_json_schema()
    assert shape(inline(documented, components)) != shape(parsed)
    assert shape(parsed) == shape(
        {
            "type": "object",
            "properties": {"period": {"type": "string"}, "node_code": {"type": "string"}},
            "required": ["period", "node_code"],
        }
    )


def test_by_hand_pattern_finds_what_it_should():
    assert BY_HAND.search("data = json.loads(request.body)")
    assert BY_HAND.search('name = request.POST.get("name")')
    assert BY_HAND.search('f = request.FILES["file"]')
    assert not BY_HAND.search("request.POST  # noqa: B018")  # touched for axes, not read
