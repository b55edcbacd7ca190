"""The rules layer: dated parameters, catalogue, money, indexation, tariffs, cost price and more.

Pure functions over the parameter tree; imports only the foundation modules (errors, atomic writes).
"""
