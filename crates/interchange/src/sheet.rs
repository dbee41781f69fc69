//! sheets (todo)
