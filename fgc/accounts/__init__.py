"""Councils, users with roles and council memberships, sign-in, and API tokens."""
