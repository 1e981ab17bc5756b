"""Option 3: the pre-proceedings and FGDM block of the Children in Need census."""
