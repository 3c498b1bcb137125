"""Checks the served OpenAPI document with readers we did not write (tests/openapi.rs).

Usage: validate_openapi.py DOCUMENT.json [SCHEMA_NAME=ANSWER.json...]

1. DOCUMENT is a valid OpenAPI 3.1 document (openapi-spec-validator).
2. Each ANSWER validates against `#/components/schemas/SCHEMA_NAME` (jsonschema, draft 2020-12,
   the dialect of OpenAPI 3.1), and has no field the schema does not declare (JSON Schema allows
   extra fields by default: this second walk is what catches a schema that lags the code).
Prints one line per answer; exits 1 with the errors on the first failure.
"""

import json
import sys

from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

# The document's local references made absolute, so that any of its sub-schemas can be a
# validator's root and still reach `#/components/schemas/...`.
BASE = "urn:cpts-atlas:openapi"


def resolve(schema, document):
    """The schema behind a local `$ref`."""
    while isinstance(schema, dict) and "$ref" in schema:
        name = schema["$ref"].removeprefix(f"{BASE}#/components/schemas/")
        schema = document["components"]["schemas"][name]
    return schema


def parts(schema, instance, document, validator_for):
    """The plain schemas that apply to `instance`: `schema` itself, its `allOf`, and the
    `oneOf`/`anyOf` alternatives the instance matches, recursively."""
    schema = resolve(schema, document)
    if not isinstance(schema, dict):
        return []
    found = [schema]
    for branch in schema.get("allOf", []):
        found += parts(branch, instance, document, validator_for)
    for key in ("oneOf", "anyOf"):
        for branch in schema.get(key, []):
            if validator_for(branch).is_valid(instance):
                found += parts(branch, instance, document, validator_for)
    return found


def undeclared(instance, schema, document, where, validator_for):
    """Paths of the fields of `instance` that `schema` does not declare. An object schema with
    no `properties` (a free-form object, a GeoJSON value) or a map (`additionalProperties`)
    declares any field."""
    applying = parts(schema, instance, document, validator_for)
    found = []
    if isinstance(instance, dict):
        objects = [s for s in applying if "properties" in s or "additionalProperties" in s]
        free = any(
            s.get("type") in ("object", ["object", "null"]) and "properties" not in s
            and not isinstance(s.get("additionalProperties"), dict)
            for s in applying
        )
        for field, value in instance.items():
            subs = [s["properties"][field] for s in objects if field in s.get("properties", {})]
            subs += [
                s["additionalProperties"]
                for s in objects
                if isinstance(s.get("additionalProperties"), dict)
                and field not in s.get("properties", {})
            ]
            if not subs and not free:
                found.append(f"{where}.{field}")
            for sub in subs:
                found += undeclared(value, sub, document, f"{where}.{field}", validator_for)
    elif isinstance(instance, list):
        for item_schema in [s["items"] for s in applying if isinstance(s.get("items"), dict)]:
            for i, value in enumerate(instance):
                found += undeclared(value, item_schema, document, f"{where}[{i}]", validator_for)
    return sorted(set(found))


def main():
    document_file, *answers = sys.argv[1:]
    with open(document_file) as f:
        document = json.load(f)
    validate(document)
    print(f"valid OpenAPI {document['openapi']}: {len(document['paths'])} paths")
    document = json.loads(json.dumps(document).replace('"#/components/', f'"{BASE}#/components/'))
    resource = Resource(contents=document, specification=DRAFT202012)
    registry = Registry().with_resource(BASE, resource)

    def validator_for(schema):
        return Draft202012Validator(schema, registry=registry)

    failed = False
    for pair in answers:
        name, answer_file = pair.split("=", 1)
        schema = {"$ref": f"{BASE}#/components/schemas/{name}"}
        with open(answer_file) as f:
            answer = json.load(f)
        errors = sorted(validator_for(schema).iter_errors(answer), key=lambda e: e.json_path)
        extra = undeclared(answer, schema, document, "$", validator_for)
        for e in errors[:20]:
            print(f"{answer_file}: {e.json_path}: {e.message[:300]}", file=sys.stderr)
        for path in extra[:50]:
            print(f"{answer_file}: {path}: not declared in {name}", file=sys.stderr)
        failed |= bool(errors or extra)
        print(f"{answer_file}: {len(errors)} errors, {len(extra)} undeclared fields")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
