"""The human-readable API reference: the operations of the OpenAPI document, read from the
document itself, for a server-rendered page (no script, nothing from another host)."""

from __future__ import annotations

from typing import Any


def _resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def _fields(spec: dict[str, Any], schema: dict[str, Any], prefix: str = "",
            depth: int = 0) -> list[dict[str, str]]:
    schema = _resolve(spec, schema)
    rows: list[dict[str, str]] = []
    required = set(schema.get("required", []))
    for name, prop in (schema.get("properties") or {}).items():
        prop = _resolve(spec, prop)
        kind = prop.get("type", "object")
        if isinstance(kind, list):
            kind = " | ".join(kind)
        if prop.get("format"):
            kind += f" ({prop['format']})"
        rows.append({"name": prefix + name, "type": kind,
                     "required": "yes" if name in required else "",
                     "description": prop.get("description", "")})
        items = prop.get("items")
        if depth < 3 and isinstance(items, dict):
            rows += _fields(spec, items, f"{prefix}{name}[].", depth + 1)
        elif depth < 3 and "properties" in prop:
            rows += _fields(spec, prop, f"{prefix}{name}.", depth + 1)
        elif depth < 3 and "allOf" in prop:
            for part in prop["allOf"]:
                rows += _fields(spec, part, f"{prefix}{name}.", depth + 1)
    return rows


def operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Each operation: method, path, summary, parameters and responses with their fields."""
    found = []
    for path, item in sorted(spec.get("paths", {}).items()):
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = []
            for status, response in sorted(operation.get("responses", {}).items()):
                response = _resolve(spec, response)
                content = (response.get("content") or {}).get("application/json") or {}
                schema = content.get("schema")
                responses.append({"status": status,
                                  "description": response.get("description", ""),
                                  "fields": _fields(spec, schema) if schema else []})
            found.append({
                "method": method.upper(), "path": path,
                "summary": operation.get("summary", ""),
                "description": operation.get("description", ""),
                "parameters": [_resolve(spec, p) for p in operation.get("parameters", [])],
                "responses": responses})
    return found
