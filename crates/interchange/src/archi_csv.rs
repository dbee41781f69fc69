//! Archi CSV (todo)
