"""The walk's checks, one module per family; each reads the Graph and returns Clues."""
