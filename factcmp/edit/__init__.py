"""Editing users' files, byte-exact and atomically: topics rename, init's scaffold."""
