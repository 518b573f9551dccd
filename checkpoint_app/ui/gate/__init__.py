"""The gate: the guard's scan screen and its panels."""
