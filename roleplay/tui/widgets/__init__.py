"""Reusable widgets for the roleplay app: they render data given to them and post messages upward."""
