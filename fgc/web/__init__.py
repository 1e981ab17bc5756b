"""The Django web platform: Jinja2 environment, base layout, navigation, error pages."""
