"""The returns a council can make: the Option 1 aggregate template, the Option 2 child-level
return, the Option 3 FGC module of the Children in Need census, and the DfE quarterly figures.

Functions take and give bytes or polars frames so the CLI and the hub call the same code.
"""
