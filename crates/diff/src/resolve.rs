//! Resolving a conflict. The merged model holds ours; taking theirs puts theirs' value at the
//! conflict's place (a field, an element of a list field, a whole item, a list's order) in the
//! model as it is now, and the model that results must validate.

use serde_json::{Map, Value};
use tributary_core::entity::Entity;
use tributary_core::error::{Error, Result};
use tributary_core::validate::ensure_valid;
use tributary_core::{Model, Settings, each_entity};

use crate::conflict::{Conflict, Reason};
use crate::lists::key_is;
use crate::value::{from_own, identities, object, own};

/// `model` with theirs' side of `conflict` taken.
pub fn take_theirs(model: &Model, conflict: &Conflict) -> Result<Model> {
    let mut m = model.clone();
    if conflict.kind == "settings" {
        let mut obj = object(&m.settings());
        set_field(&mut obj, conflict)?;
        let s: Settings =
            serde_json::from_value(Value::Object(obj)).map_err(|e| unreadable(conflict, e))?;
        m.set_settings(s);
    } else {
        let mut known = false;
        macro_rules! kind {
            ($t:ty) => {
                if <$t as Entity>::KIND == conflict.kind {
                    known = true;
                    take_as::<$t>(&mut m, conflict)?;
                }
            };
        }
        each_entity!(kind);
        if !known {
            return Err(Error::Conflict(format!(
                "{}: this conflict cannot be taken item by item; merge again and choose there",
                conflict.name
            )));
        }
    }
    ensure_valid(&m)?;
    Ok(m)
}

fn unreadable(c: &Conflict, e: serde_json::Error) -> Error {
    Error::Conflict(format!("{}: theirs' value cannot be read ({e})", c.text))
}

fn gone(c: &Conflict) -> Error {
    Error::NotFound(format!(
        "{} {:?}, which the conflict is about,",
        c.kind, c.name
    ))
}

fn take_as<T: Entity>(m: &mut Model, c: &Conflict) -> Result<()> {
    let stream = c.stream.as_deref();
    let list = T::list_mut(m, stream).ok_or_else(|| gone(c))?;
    let at = list.iter().position(|x| key_is(x.key(), &c.key));
    match (&c.field, c.reason) {
        (None, Reason::Order) => {
            let order: Vec<Vec<String>> =
                serde_json::from_value(c.theirs.clone().unwrap_or(Value::Null))
                    .map_err(|e| unreadable(c, e))?;
            let mut rest = std::mem::take(list);
            for k in order {
                if let Some(p) = rest.iter().position(|x| key_is(x.key(), &k)) {
                    list.push(rest.remove(p));
                }
            }
            list.append(&mut rest);
        }
        (None, _) => match (&c.theirs, at) {
            (Some(v), at) => {
                let x: T = serde_json::from_value(v.clone()).map_err(|e| unreadable(c, e))?;
                match at {
                    Some(p) => list[p] = x,
                    None => {
                        let after = c
                            .theirs_after
                            .as_ref()
                            .and_then(|k| list.iter().position(|y| key_is(y.key(), k)));
                        let i = match (after, c.theirs_index) {
                            (Some(p), _) => p + 1,
                            (None, Some(i)) if c.theirs_after.is_none() => {
                                (i as usize).min(list.len())
                            }
                            _ => list.len(),
                        };
                        list.insert(i, x);
                    }
                }
            }
            (None, Some(p)) => {
                list.remove(p);
            }
            (None, None) => {}
        },
        (Some(_), _) => {
            let p = at.ok_or_else(|| gone(c))?;
            let mut obj = own(&list[p]);
            set_field(&mut obj, c)?;
            let mut x: T = from_own(obj).ok_or_else(|| {
                Error::Conflict(format!("{}: theirs' value does not fit here", c.name))
            })?;
            x.keep_from(list[p].clone());
            list[p] = x;
        }
    }
    Ok(())
}

/// Theirs' value in the conflict's field: the whole field, one element of a list field, or
/// the order of a list field.
fn set_field(obj: &mut Map<String, Value>, c: &Conflict) -> Result<()> {
    let Some(f) = &c.field else {
        return Ok(());
    };
    let Some(id) = &c.element else {
        if c.reason == Reason::Order {
            let order: Vec<String> =
                serde_json::from_value(c.theirs.clone().unwrap_or(Value::Null))
                    .map_err(|e| unreadable(c, e))?;
            if let Some(Value::Array(xs)) = obj.get_mut(f) {
                let ids = identities(xs);
                let mut rest: Vec<(String, Value)> =
                    ids.into_iter().zip(std::mem::take(xs)).collect();
                for k in order {
                    if let Some(p) = rest.iter().position(|(i, _)| *i == k) {
                        xs.push(rest.remove(p).1);
                    }
                }
                xs.extend(rest.into_iter().map(|(_, v)| v));
            }
            return Ok(());
        }
        match &c.theirs {
            Some(v) => obj.insert(f.clone(), v.clone()),
            None => obj.remove(f),
        };
        return Ok(());
    };
    let slot = obj
        .entry(f.clone())
        .or_insert_with(|| Value::Array(Vec::new()));
    let Value::Array(xs) = slot else {
        return Err(Error::Conflict(format!(
            "{}: {f} is not a list any more",
            c.name
        )));
    };
    let at = identities(xs).iter().position(|x| x == id);
    match (&c.theirs, at) {
        (Some(v), Some(p)) => xs[p] = v.clone(),
        (Some(v), None) => xs.push(v.clone()),
        (None, Some(p)) => {
            xs.remove(p);
        }
        (None, None) => {}
    }
    Ok(())
}
