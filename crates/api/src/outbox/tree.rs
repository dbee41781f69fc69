//! A JSON document built from a serde value for comparing it with the next one.
//!
//! It has the shape `serde_json::to_value` gives (the tests hold the two to each other), but
//! an object is a list of entries and the keys that are struct fields are borrowed from the
//! program instead of allocated: building the 300-stage workspace this way takes about a third
//! of the time `to_value` takes with its sorted maps of owned keys, and the outbox builds one
//! for every edit.

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;
use serde::ser::{self, SerializeMap as _, SerializeSeq as _};
use serde_json::Number;

/// A JSON value; see the module documentation.
#[derive(Debug, Clone, PartialEq)]
pub enum JsonTree {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<JsonTree>),
    /// Entries in the order they were serialised: a struct's fields in declaration order.
    Object(Vec<(Key, JsonTree)>),
}

/// An object's key: a struct field's name, borrowed, or a map's key.
pub type Key = Cow<'static, str>;

impl JsonTree {
    /// The tree of `value`, as `serde_json::to_value` would make it.
    pub fn of<T: Serialize + ?Sized>(value: &T) -> Result<JsonTree, Error> {
        value.serialize(Build)
    }

    /// Values in the document: leaves and containers.
    pub fn count(&self) -> usize {
        1 + match self {
            JsonTree::Array(items) => items.iter().map(JsonTree::count).sum(),
            JsonTree::Object(entries) => entries.iter().map(|(_, v)| v.count()).sum(),
            _ => 0,
        }
    }

    /// The value under `key`, when this is an object that has it.
    pub fn get(&self, key: &str) -> Option<&JsonTree> {
        match self {
            JsonTree::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// Written as the JSON it stands for.
impl Serialize for JsonTree {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            JsonTree::Null => s.serialize_unit(),
            JsonTree::Bool(b) => s.serialize_bool(*b),
            JsonTree::Number(n) => n.serialize(s),
            JsonTree::String(t) => s.serialize_str(t),
            JsonTree::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            JsonTree::Object(entries) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k.as_ref(), v)?;
                }
                map.end()
            }
        }
    }
}

/// Why a value has no JSON form (a map key that is not a string or a number, say).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Error {
        Error(msg.to_string())
    }
}

/// The serializer that builds a [`JsonTree`], mapping serde's data model to JSON the way
/// serde_json's value serializer does: `None` and unit as null, a unit variant as its name,
/// other variants as an object of one entry named after the variant.
struct Build;

fn number(n: impl Into<Number>) -> Result<JsonTree, Error> {
    Ok(JsonTree::Number(n.into()))
}

fn float(f: f64) -> Result<JsonTree, Error> {
    // as serde_json: a number that JSON cannot hold (NaN, infinity) is null
    Ok(Number::from_f64(f).map_or(JsonTree::Null, JsonTree::Number))
}

fn tagged(variant: &'static str, value: JsonTree) -> JsonTree {
    JsonTree::Object(vec![(Cow::Borrowed(variant), value)])
}

impl ser::Serializer for Build {
    type Ok = JsonTree;
    type Error = Error;
    type SerializeSeq = Seq;
    type SerializeTuple = Seq;
    type SerializeTupleStruct = Seq;
    type SerializeTupleVariant = Seq;
    type SerializeMap = Map;
    type SerializeStruct = Map;
    type SerializeStructVariant = Map;

    fn serialize_bool(self, v: bool) -> Result<JsonTree, Error> {
        Ok(JsonTree::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<JsonTree, Error> {
        number(v)
    }
    fn serialize_i16(self, v: i16) -> Result<JsonTree, Error> {
        number(v)
    }
    fn serialize_i32(self, v: i32) -> Result<JsonTree, Error> {
        number(v)
    }
    fn serialize_i64(self, v: i64) -> Result<JsonTree, Error> {
        number(v)
    }
    fn serialize_i128(self, v: i128) -> Result<JsonTree, Error> {
        match (u64::try_from(v), i64::try_from(v)) {
            (Ok(u), _) => number(u),
            (_, Ok(i)) => number(i),
            _ => Err(Error(format!("the number {v} is out of range for JSON"))),
        }
    }
    fn serialize_u8(self, v: u8) -> Result<JsonTree, Error> {
        number(v)
    }
    fn serialize_u16(self, v: u16) -> Result<JsonTree, Error> {
        number(v)
    }
    fn serialize_u32(self, v: u32) -> Result<JsonTree, Error> {
        number(v)
    }
    fn serialize_u64(self, v: u64) -> Result<JsonTree, Error> {
        number(v)
    }
    fn serialize_u128(self, v: u128) -> Result<JsonTree, Error> {
        u64::try_from(v)
            .map_err(|_| Error(format!("the number {v} is out of range for JSON")))
            .and_then(number)
    }
    fn serialize_f32(self, v: f32) -> Result<JsonTree, Error> {
        float(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<JsonTree, Error> {
        float(v)
    }
    fn serialize_char(self, v: char) -> Result<JsonTree, Error> {
        Ok(JsonTree::String(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<JsonTree, Error> {
        Ok(JsonTree::String(v.to_owned()))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<JsonTree, Error> {
        Ok(JsonTree::Array(
            v.iter().map(|b| JsonTree::Number((*b).into())).collect(),
        ))
    }
    fn serialize_none(self) -> Result<JsonTree, Error> {
        Ok(JsonTree::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<JsonTree, Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<JsonTree, Error> {
        Ok(JsonTree::Null)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<JsonTree, Error> {
        Ok(JsonTree::Null)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<JsonTree, Error> {
        Ok(JsonTree::String(variant.to_owned()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<JsonTree, Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<JsonTree, Error> {
        Ok(tagged(variant, value.serialize(Build)?))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Seq, Error> {
        Ok(Seq {
            variant: None,
            items: Vec::with_capacity(len.unwrap_or(0)),
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Seq, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Seq, Error> {
        Ok(Seq {
            variant: Some(variant),
            items: Vec::with_capacity(len),
        })
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Map, Error> {
        Ok(Map {
            variant: None,
            entries: Vec::with_capacity(len.unwrap_or(0)),
            key: None,
        })
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Map, Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Map, Error> {
        Ok(Map {
            variant: Some(variant),
            entries: Vec::with_capacity(len),
            key: None,
        })
    }
}

/// An array being built (of a tuple variant when `variant` is set).
struct Seq {
    variant: Option<&'static str>,
    items: Vec<JsonTree>,
}

impl Seq {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.items.push(value.serialize(Build)?);
        Ok(())
    }

    fn done(self) -> Result<JsonTree, Error> {
        let array = JsonTree::Array(self.items);
        Ok(match self.variant {
            Some(v) => tagged(v, array),
            None => array,
        })
    }
}

// serde hands over a list's items through four traits that differ only in names.
macro_rules! push_items {
    ($($trait:ident::$method:ident),*) => {$(
        impl ser::$trait for Seq {
            type Ok = JsonTree;
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                self.push(value)
            }
            fn end(self) -> Result<JsonTree, Error> {
                self.done()
            }
        }
    )*};
}

push_items!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

/// An object being built (of a struct variant when `variant` is set). A key given twice keeps
/// its last value, as in serde_json's maps.
struct Map {
    variant: Option<&'static str>,
    entries: Vec<(Key, JsonTree)>,
    key: Option<Key>,
}

impl Map {
    fn insert(&mut self, key: Key, value: JsonTree) {
        match self.entries.iter_mut().find(|(k, _)| *k == key) {
            Some(entry) => entry.1 = value,
            None => self.entries.push((key, value)),
        }
    }

    fn done(self) -> Result<JsonTree, Error> {
        let object = JsonTree::Object(self.entries);
        Ok(match self.variant {
            Some(v) => tagged(v, object),
            None => object,
        })
    }
}

impl ser::SerializeMap for Map {
    type Ok = JsonTree;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        // as JSON writes a key: a string, or a number or a boolean as text (the workspace has
        // no maps, so this path is not worth a serializer of its own)
        let key = match serde_json::to_value(key).map_err(ser::Error::custom)? {
            serde_json::Value::String(s) => s,
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::Bool(b) => b.to_string(),
            other => return Err(Error(format!("a map key must be a string, not {other}"))),
        };
        self.key = Some(Cow::Owned(key));
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = self
            .key
            .take()
            .ok_or_else(|| Error("a map value came without its key".into()))?;
        let value = value.serialize(Build)?;
        self.insert(key, value);
        Ok(())
    }
    fn end(self) -> Result<JsonTree, Error> {
        self.done()
    }
}

// A struct's fields and a struct variant's fields arrive the same way.
macro_rules! push_fields {
    ($($trait:ident),*) => {$(
        impl ser::$trait for Map {
            type Ok = JsonTree;
            type Error = Error;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Error> {
                // most objects are structs: their keys are never copied
                self.entries.push((Cow::Borrowed(key), value.serialize(Build)?));
                Ok(())
            }
            fn end(self) -> Result<JsonTree, Error> {
                self.done()
            }
        }
    )*};
}

push_fields!(SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashMap};

    use serde::Serialize;
    use serde_json::json;

    use super::JsonTree;

    #[derive(Serialize)]
    struct Unit;

    #[derive(Serialize)]
    struct Newtype(u8);

    #[derive(Serialize)]
    struct Pair(i32, String);

    #[derive(Serialize)]
    #[serde(rename_all = "snake_case")]
    enum External {
        Plain,
        Wrapped(f64),
        Tuple(u8, bool),
        Fields { a: i64, b: Option<char> },
    }

    #[derive(Serialize)]
    #[serde(tag = "kind", rename_all = "snake_case")]
    enum Internal {
        Stage { id: String },
        Nothing,
    }

    #[derive(Serialize)]
    #[serde(tag = "t", content = "c")]
    enum Adjacent {
        Number(u64),
    }

    #[derive(Serialize)]
    #[serde(untagged)]
    enum Untagged {
        Text(String),
        List(Vec<u16>),
    }

    #[derive(Serialize)]
    struct Everything {
        unit: (),
        unit_struct: Unit,
        newtype: Newtype,
        pair: Pair,
        none: Option<u8>,
        some: Option<&'static str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u8>,
        #[serde(rename = "renamed field")]
        renamed: bool,
        externals: Vec<External>,
        internals: Vec<Internal>,
        adjacent: Adjacent,
        untagged: Vec<Untagged>,
        numbers: (i8, i64, u64, i128, u128, f32, f64, f64, f64),
        letter: char,
        bytes: &'static [u8],
        by_number: BTreeMap<u32, &'static str>,
        by_bool: BTreeMap<bool, u8>,
        by_name: HashMap<String, Vec<f64>>,
        #[serde(flatten)]
        flat: BTreeMap<String, i32>,
    }

    fn everything() -> Everything {
        Everything {
            unit: (),
            unit_struct: Unit,
            newtype: Newtype(7),
            pair: Pair(-3, "three".into()),
            none: None,
            some: Some("some ~ text / with \"quotes\""),
            skipped: None,
            renamed: true,
            externals: vec![
                External::Plain,
                External::Wrapped(0.1),
                External::Tuple(2, false),
                External::Fields {
                    a: -9,
                    b: Some('é'),
                },
            ],
            internals: vec![Internal::Stage { id: "kyc".into() }, Internal::Nothing],
            adjacent: Adjacent::Number(42),
            untagged: vec![Untagged::Text("t".into()), Untagged::List(vec![1, 2])],
            numbers: (
                i8::MIN,
                i64::MIN,
                u64::MAX,
                -5,
                12,
                1.5,
                f64::NAN,
                f64::INFINITY,
                1e300,
            ),
            letter: 'x',
            bytes: b"ab",
            by_number: BTreeMap::from([(1, "one"), (20, "twenty")]),
            by_bool: BTreeMap::from([(false, 0), (true, 1)]),
            by_name: HashMap::from([("a".into(), vec![]), ("b".into(), vec![2.5, -0.0])]),
            flat: BTreeMap::from([("extra".into(), 1)]),
        }
    }

    #[test]
    fn writes_the_json_serde_json_writes() {
        let value = everything();
        let tree = JsonTree::of(&value).unwrap();
        let expected = serde_json::to_value(&value).unwrap();
        assert_eq!(serde_json::to_value(&tree).unwrap(), expected);
        // spot checks against JSON written by hand, so that the test does not only trust serde_json
        assert_eq!(expected["externals"][1], json!({ "wrapped": 0.1 }));
        assert_eq!(
            expected["internals"][0],
            json!({ "kind": "stage", "id": "kyc" })
        );
        assert_eq!(expected["numbers"][6], json!(null));
        assert_eq!(expected["by_number"], json!({ "1": "one", "20": "twenty" }));
        assert_eq!(expected["extra"], json!(1));
        assert!(expected.get("skipped").is_none());
    }

    #[test]
    fn counts_every_value_and_finds_keys() {
        let tree = JsonTree::of(&json!({ "a": [1, 2, { "b": null }], "c": "d" })).unwrap();
        // the object, a, its array's three items, b, c
        assert_eq!(tree.count(), 7);
        assert_eq!(tree.get("c"), Some(&JsonTree::String("d".into())));
        assert_eq!(tree.get("b"), None);
    }

    #[test]
    fn refuses_what_json_cannot_hold_and_says_what() {
        let err = JsonTree::of(&HashMap::from([((1, 2), "pair")])).unwrap_err();
        assert!(err.to_string().contains("map key"), "{err}");
        let err = JsonTree::of(&u128::MAX).unwrap_err();
        assert!(err.to_string().contains("out of range"), "{err}");
    }
}
