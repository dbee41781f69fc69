//! Between rows and the model: reading a whole model, and writing the deltas of an edit, for
//! every entity through its table description (`tables.rs`).
//!
//! Each list keeps the user's order in an `ord` column. Ords only need to sort: a deleted
//! row leaves a gap, an append takes the last ord + 1, and only an insert or move inside a
//! list renumbers the rows after it.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::types::{Value as Sql, ValueRef};
use rusqlite::{Connection, OptionalExtension};
use serde_json::{Map, Number, Value};
use tributary_core::edit::{Delta, Edit, Placed};
use tributary_core::entity::Entity;
use tributary_core::{Model, Settings, each_delta, each_entity};

use crate::error::{Error, Result};
use crate::schema::classify;
use crate::tables::{Column, Row, STREAM, Table, Ty};

// ---- one row ------------------------------------------------------------------------------

/// The values of an item's columns, in `T::COLUMNS` order.
fn encode<T: Row>(item: &T, stream: Option<&str>) -> Vec<Sql> {
    let v = serde_json::to_value(item)
        .unwrap_or_else(|e| unreachable!("model data serialises to JSON: {e}"));
    T::COLUMNS
        .iter()
        .map(|c| {
            if c.at == STREAM {
                return stream.map_or(Sql::Null, |s| Sql::Text(s.to_owned()));
            }
            match v.pointer(c.at) {
                None | Some(Value::Null) => Sql::Null,
                Some(x) if c.ty == Ty::Json => Sql::Text(x.to_string()),
                Some(Value::String(s)) => Sql::Text(s.clone()),
                Some(Value::Number(n)) if c.ty == Ty::Int => n
                    .as_i64()
                    .map_or(Sql::Real(n.as_f64().unwrap_or(0.0)), Sql::Integer),
                Some(Value::Number(n)) => Sql::Real(n.as_f64().unwrap_or(0.0)),
                Some(Value::Bool(b)) => Sql::Integer(i64::from(*b)),
                Some(other) => Sql::Text(other.to_string()),
            }
        })
        .collect()
}

/// Puts `value` at the JSON pointer `at` inside `obj`, making the objects on the way.
fn put(obj: &mut Value, at: &str, value: Value) {
    let mut here = obj;
    let mut parts = at.trim_start_matches('/').split('/').peekable();
    while let Some(part) = parts.next() {
        if !here.is_object() {
            *here = Value::Object(Map::new());
        }
        let Value::Object(map) = here else {
            return;
        };
        if parts.peek().is_none() {
            map.insert(part.to_owned(), value);
            return;
        }
        here = map.entry(part).or_insert_with(|| Value::Object(Map::new()));
    }
}

/// One column's value as JSON; `None` when it is NULL.
fn cell(path: &Path, table: &str, c: &Column, v: ValueRef<'_>) -> Result<Option<Value>> {
    let bad = |what: String| Error::Corrupt {
        path: path.to_owned(),
        detail: format!("the {table} table's column {} {what}", c.name),
    };
    Ok(Some(match v {
        ValueRef::Null => return Ok(None),
        ValueRef::Integer(n) => Value::from(n),
        ValueRef::Real(x) => Value::Number(
            Number::from_f64(x).ok_or_else(|| bad(format!("holds {x}, which is not a number")))?,
        ),
        ValueRef::Text(t) => {
            let s = std::str::from_utf8(t)
                .map_err(|_| bad("holds text that is not valid UTF-8".into()))?;
            if c.ty == Ty::Json {
                serde_json::from_str(s)
                    .map_err(|e| bad(format!("holds {s:?}, which is not JSON ({e})")))?
            } else {
                Value::String(s.to_owned())
            }
        }
        ValueRef::Blob(_) => return Err(bad("holds bytes where text or a number belongs".into())),
    }))
}

/// Reads one row into an item and, for stages and edges, the stream it belongs to.
fn decode<T: Row>(path: &Path, r: &rusqlite::Row<'_>) -> Result<(Option<String>, T)> {
    let mut obj = T::empty();
    let mut stream = None;
    let mut first = None;
    for (i, c) in T::COLUMNS.iter().enumerate() {
        let raw = r.get_ref(i).map_err(|e| classify(path, e))?;
        let Some(value) = cell(path, T::TABLE, c, raw)? else {
            continue;
        };
        if first.is_none() {
            first = value.as_str().map(str::to_owned);
        }
        if c.at == STREAM {
            stream = value.as_str().map(str::to_owned);
        } else {
            put(&mut obj, c.at, value);
        }
    }
    let item = serde_json::from_value(obj).map_err(|e| Error::Corrupt {
        path: path.to_owned(),
        detail: format!(
            "a row of the {} table ({}) holds what this version does not understand: {e}",
            T::TABLE,
            first.as_deref().unwrap_or("no id")
        ),
    })?;
    Ok((stream, item))
}

fn columns<T: Row>() -> String {
    T::COLUMNS
        .iter()
        .map(|c| c.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// `a = ?1 AND b = ?2` over the key columns.
fn key_clause<T: Table>() -> String {
    T::COLUMNS[..T::KEY]
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{} = ?{}", c.name, i + 1))
        .collect::<Vec<_>>()
        .join(" AND ")
}

fn key_values<T: Table>(item: &T, stream: Option<&str>) -> Vec<Sql> {
    let mut v = encode(item, stream);
    v.truncate(T::KEY);
    v
}

// ---- reading ------------------------------------------------------------------------------

/// Reads the whole model.
pub fn load(conn: &Connection, path: &Path) -> Result<Model> {
    let err = |e| classify(path, e);
    let sql = format!(
        "SELECT {} FROM settings WHERE id = 1",
        columns::<Settings>()
    );
    let settings = conn
        .query_row(&sql, [], |r| Ok(decode::<Settings>(path, r)))
        .optional()
        .map_err(err)?
        .ok_or_else(|| Error::Corrupt {
            path: path.to_owned(),
            detail: "the model settings are missing".into(),
        })??
        .1;
    let mut model = Model::new(settings.name.clone());
    model.set_settings(settings);
    macro_rules! load_list {
        ($t:ty) => {
            load_list::<$t>(conn, path, &mut model)?;
        };
    }
    each_entity!(load_list);
    Ok(model)
}

/// Reads every row of `T`'s table into its list, in order.
fn load_list<T: Table>(conn: &Connection, path: &Path, model: &mut Model) -> Result<()> {
    let err = |e| classify(path, e);
    let keys = T::COLUMNS[..T::KEY]
        .iter()
        .map(|c| c.name)
        .collect::<Vec<_>>();
    let order = if T::IN_STREAM {
        format!("stream_id, ord, {}", keys.join(", "))
    } else {
        format!("ord, {}", keys.join(", "))
    };
    let sql = format!(
        "SELECT {} FROM {} ORDER BY {order}",
        columns::<T>(),
        T::TABLE
    );
    let mut stmt = conn.prepare(&sql).map_err(err)?;
    let mut rows = stmt.query([]).map_err(err)?;
    while let Some(r) = rows.next().map_err(err)? {
        let (stream, item) = decode::<T>(path, r)?;
        let list = T::list_mut(model, stream.as_deref()).ok_or_else(|| Error::Corrupt {
            path: path.to_owned(),
            detail: format!(
                "a {} belongs to stream {:?}, which is not in the file",
                T::KIND,
                stream.as_deref().unwrap_or_default()
            ),
        })?;
        list.push(item);
    }
    Ok(())
}

// ---- writing ------------------------------------------------------------------------------

/// Writes a whole model into empty tables.
pub fn insert_all(conn: &Connection, path: &Path, model: &Model) -> Result<()> {
    let mut w = Writer::new(conn, path);
    let mut values = encode(&model.settings(), None);
    values.insert(0, Sql::Integer(1));
    let sql = format!(
        "INSERT INTO settings (id, {}) VALUES ({})",
        columns::<Settings>(),
        placeholders(values.len())
    );
    w.exec(&sql, values)?;
    for (i, s) in model.streams.iter().enumerate() {
        w.insert(Some(&s.header()), None, i as i64)?;
        for (k, st) in s.stages.iter().enumerate() {
            w.insert(Some(st), Some(&s.id), k as i64)?;
        }
        for (k, e) in s.edges.iter().enumerate() {
            w.insert(Some(e), Some(&s.id), k as i64)?;
        }
    }
    macro_rules! insert_list {
        ($t:ty) => {
            if !<$t as Entity>::IN_STREAM && <$t as Row>::TABLE != "streams" {
                let list = <$t as Entity>::list(model, None).into_iter().flatten();
                for (i, x) in list.enumerate() {
                    w.insert(Some(x), None, i as i64)?;
                }
            }
        };
    }
    each_entity!(insert_list);
    Ok(())
}

fn placeholders(n: usize) -> String {
    (1..=n)
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Renumbers the ords of one list from an index on.
type Renumber = fn(&mut Writer<'_>, &Model, Option<&str>, usize) -> Result<()>;

/// Writes deltas with cached statements.
pub struct Writer<'c> {
    conn: &'c Connection,
    path: &'c Path,
    /// Lists whose order changed inside, with the first index to renumber from.
    reorder: HashMap<(&'static str, Option<String>), (usize, Renumber)>,
}

impl<'c> Writer<'c> {
    pub fn new(conn: &'c Connection, path: &'c Path) -> Writer<'c> {
        Writer {
            conn,
            path,
            reorder: HashMap::new(),
        }
    }

    fn exec(&self, sql: &str, values: Vec<Sql>) -> Result<usize> {
        self.conn
            .prepare_cached(sql)
            .and_then(|mut s| s.execute(rusqlite::params_from_iter(values)))
            .map_err(|e| classify(self.path, e))
    }

    /// Writes `deltas`, which have already been applied to `model`, so the rows match it.
    pub fn write(&mut self, model: &Model, deltas: &[Delta]) -> Result<()> {
        for d in deltas {
            each_delta!(d,
                settings(_, after) => self.write_settings(after)?,
                e => self.write_edit(model, e)?
            );
        }
        // Appends got ord -1 as a placeholder; give them the ord after their neighbour. Then
        // renumber lists where something was inserted or moved inside.
        for d in deltas {
            each_delta!(d, settings(_, _) => {}, e => self.place_appended(model, e)?);
        }
        for ((_, stream), (from, renumber)) in std::mem::take(&mut self.reorder) {
            renumber(self, model, stream.as_deref(), from)?;
        }
        Ok(())
    }

    fn write_settings(&mut self, s: &Settings) -> Result<()> {
        let set = Settings::COLUMNS
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{} = ?{}", c.name, i + 1))
            .collect::<Vec<_>>()
            .join(", ");
        self.exec(
            &format!("UPDATE settings SET {set} WHERE id = 1"),
            encode(s, None),
        )?;
        Ok(())
    }

    fn insert<T: Table>(&mut self, item: Option<&T>, stream: Option<&str>, ord: i64) -> Result<()> {
        let Some(item) = item else { return Ok(()) };
        let mut values = encode(item, stream);
        values.push(Sql::Integer(ord));
        let sql = format!(
            "INSERT INTO {} ({}, ord) VALUES ({})",
            T::TABLE,
            columns::<T>(),
            placeholders(values.len())
        );
        self.exec(&sql, values)?;
        Ok(())
    }

    fn update<T: Table>(&mut self, item: &T, stream: Option<&str>) -> Result<()> {
        if T::COLUMNS.len() == T::KEY {
            return Ok(());
        }
        let set = T::COLUMNS[T::KEY..]
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{} = ?{}", c.name, T::KEY + i + 1))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!("UPDATE {} SET {set} WHERE {}", T::TABLE, key_clause::<T>());
        self.exec(&sql, encode(item, stream))?;
        Ok(())
    }

    fn delete<T: Table>(&mut self, item: &T, stream: Option<&str>) -> Result<()> {
        let sql = format!("DELETE FROM {} WHERE {}", T::TABLE, key_clause::<T>());
        self.exec(&sql, key_values(item, stream))?;
        Ok(())
    }

    fn write_edit<T: Table>(&mut self, model: &Model, e: &Edit<T>) -> Result<()> {
        let stream = e.stream.as_deref();
        match (&e.before, &e.after) {
            (Some(b), Some(a)) if b.item.same(&a.item) => self.update(&a.item, stream)?,
            (before, after) => {
                if let Some(b) = before {
                    self.delete(&b.item, stream)?;
                }
                self.insert(after.as_ref().map(|a| &a.item), stream, -1)?;
            }
        }
        let len = T::list(model, stream).map_or(0, Vec::len);
        let appended = e
            .after
            .as_ref()
            .is_some_and(|a| a.index as usize + 1 >= len);
        let from = match (idx(&e.before), idx(&e.after)) {
            (Some(b), Some(a)) if a == b => return Ok(()),
            (Some(b), Some(a)) => b.min(a),
            (None, Some(_)) if appended => return Ok(()),
            (None, Some(a)) => a,
            // deletions leave a gap, which sorts just as well
            (_, None) => return Ok(()),
        } as usize;
        let entry = self
            .reorder
            .entry((T::TABLE, e.stream.clone()))
            .or_insert((from, renumber::<T>));
        entry.0 = entry.0.min(from);
        Ok(())
    }

    fn get_ord<T: Table>(&mut self, item: &T, stream: Option<&str>) -> Result<Option<i64>> {
        let sql = format!("SELECT ord FROM {} WHERE {}", T::TABLE, key_clause::<T>());
        self.conn
            .prepare_cached(&sql)
            .and_then(|mut s| {
                s.query_row(rusqlite::params_from_iter(key_values(item, stream)), |r| {
                    r.get(0)
                })
                .optional()
            })
            .map_err(|e| classify(self.path, e))
    }

    fn set_ord<T: Table>(&mut self, item: &T, stream: Option<&str>, ord: i64) -> Result<()> {
        let sql = format!(
            "UPDATE {} SET ord = ?{} WHERE {}",
            T::TABLE,
            T::KEY + 1,
            key_clause::<T>()
        );
        let mut values = key_values(item, stream);
        values.push(Sql::Integer(ord));
        self.exec(&sql, values)?;
        Ok(())
    }

    /// Gives a row inserted at the end of its list (ord -1) the ord after its neighbour.
    fn place_appended<T: Table>(&mut self, model: &Model, e: &Edit<T>) -> Result<()> {
        let stream = e.stream.as_deref();
        let (Some(a), Some(list)) = (&e.after, T::list(model, stream)) else {
            return Ok(());
        };
        if e.before.as_ref().is_some_and(|b| b.item.same(&a.item)) {
            return Ok(());
        }
        let i = (a.index as usize).min(list.len().saturating_sub(1));
        let Some(item) = list.get(i) else {
            return Ok(());
        };
        if self.get_ord(item, stream)? != Some(-1) {
            return Ok(());
        }
        let prev = match i.checked_sub(1).and_then(|p| list.get(p)) {
            Some(p) => self.get_ord(p, stream)?.unwrap_or(-1),
            None => -1,
        };
        self.set_ord(item, stream, prev + 1)
    }
}

/// Renumbers a list from index `from` on, continuing after the ord of the row before it.
fn renumber<T: Table>(
    w: &mut Writer<'_>,
    model: &Model,
    stream: Option<&str>,
    from: usize,
) -> Result<()> {
    let Some(list) = T::list(model, stream) else {
        return Ok(());
    };
    let base = match from.checked_sub(1).and_then(|p| list.get(p)) {
        Some(p) => w.get_ord(p, stream)?.unwrap_or(-1) + 1,
        None => 0,
    };
    for (ord, item) in (base..).zip(list.iter().skip(from)) {
        w.set_ord(item, stream, ord)?;
    }
    Ok(())
}

fn idx<T>(p: &Option<Placed<T>>) -> Option<u32> {
    p.as_ref().map(|p| p.index)
}
