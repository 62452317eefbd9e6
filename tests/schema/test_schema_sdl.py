"""The committed SDL matches the code, and everything in it is described."""

from __future__ import annotations

from pathlib import Path

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
)

from schema import build_schema

SDL = Path(__file__).resolve().parents[2] / "schema.graphql"


def test_the_committed_sdl_matches_the_code() -> None:
    assert SDL.read_text(encoding="utf-8") == build_schema().as_str() + "\n", (
        "schema.graphql drifted from the code: run `make schema` and commit it"
    )


def test_every_type_field_argument_and_enum_value_has_a_description() -> None:
    schema = build_schema()._schema
    missing: list[str] = []
    for name, gql_type in schema.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Float", "Boolean", "ID"}:
            continue
        if not gql_type.description:
            missing.append(name)
        if isinstance(gql_type, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, gql_field in gql_type.fields.items():
                if not gql_field.description:
                    missing.append(f"{name}.{field_name}")
                for arg_name, arg in gql_field.args.items():
                    if not arg.description:
                        missing.append(f"{name}.{field_name}({arg_name})")
        if isinstance(gql_type, GraphQLInputObjectType):
            for field_name, input_field in gql_type.fields.items():
                if not input_field.description:
                    missing.append(f"{name}.{field_name}")
        if isinstance(gql_type, GraphQLEnumType):
            for value_name, value in gql_type.values.items():
                if not value.description:
                    missing.append(f"{name}.{value_name}")
    assert missing == []
