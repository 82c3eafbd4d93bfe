//! Lenient reading of answers: the service does not always send what it declares, so a response member is read
//! from what a reasonable reader would take for it rather than refused.
//!
//! - an integer member sent as a decimal string (`"10"`) reads as the integer, and one sent as a float with no
//!   fraction (`10.0`) as the integer too;
//! - a float member sent as a string reads as the number;
//! - a string member sent as a number or a bool reads as its text (`10` -> `"10"`);
//! - a bool member sent as `0`/`1` or `"true"`/`"false"` reads as the bool;
//! - `null` (or an absent member) is `None`;
//! - unknown members are ignored (no type here denies them).
//!
//! A value that is none of these (an object where an integer is declared, `"ten"`, a negative number for an
//! unsigned member) is still refused: leniency reads what was meant, it does not guess.
//!
//! The functions are used by the generated response types through `#[serde(deserialize_with = ...)]`:
//!
//! ```
//! #[derive(serde::Deserialize)]
//! struct Answer {
//!     #[serde(rename = "Total", default, deserialize_with = "trtc_model::lenient::opt_u64")]
//!     total: Option<u64>,
//!     #[serde(rename = "Name", default, deserialize_with = "trtc_model::lenient::opt_string")]
//!     name: Option<String>,
//! }
//!
//! let a: Answer = serde_json::from_str(r#"{"Total":"10","Name":42}"#)?;
//! assert_eq!((a.total, a.name.as_deref()), (Some(10), Some("42")));
//! let a: Answer = serde_json::from_str(r#"{"Total":null}"#)?;
//! assert_eq!((a.total, a.name), (None, None));
//! assert!(serde_json::from_str::<Answer>(r#"{"Total":"ten"}"#).is_err());
//! # Ok::<(), serde_json::Error>(())
//! ```

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

macro_rules! lenient_scalar {
    ($wrapper:ident, $ty:ty, $visitor:ident, $opt:ident, $opt_vec:ident, $what:literal) => {
        struct $wrapper($ty);

        impl<'de> Deserialize<'de> for $wrapper {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_any($visitor).map($wrapper)
            }
        }

        #[doc = concat!("Reads an optional ", $what, " leniently (see the module documentation).")]
        pub fn $opt<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<$ty>, D::Error> {
            Ok(Option::<$wrapper>::deserialize(deserializer)?.map(|v| v.0))
        }

        #[doc = concat!("Reads an optional list of ", $what, "s leniently, item by item.")]
        pub fn $opt_vec<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Vec<$ty>>, D::Error> {
            Ok(Option::<Vec<$wrapper>>::deserialize(deserializer)?.map(|v| v.into_iter().map(|x| x.0).collect()))
        }
    };
}

lenient_scalar!(LenientU64, u64, U64Visitor, opt_u64, opt_vec_u64, "unsigned integer");
lenient_scalar!(LenientI64, i64, I64Visitor, opt_i64, opt_vec_i64, "integer");
lenient_scalar!(LenientF64, f64, F64Visitor, opt_f64, opt_vec_f64, "float");
lenient_scalar!(LenientBool, bool, BoolVisitor, opt_bool, opt_vec_bool, "bool");
lenient_scalar!(
    LenientString,
    String,
    StringVisitor,
    opt_string,
    opt_vec_string,
    "string"
);

/// Reads a required string leniently: a number or bool becomes its text.
pub fn string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    deserializer.deserialize_any(StringVisitor)
}

/// A float with no fraction, within `i128` so the conversions below are exact checks.
fn whole(v: f64) -> Option<i128> {
    (v.is_finite() && v.fract() == 0.0 && v.abs() < 1e38).then_some(v as i128)
}

struct U64Visitor;

impl Visitor<'_> for U64Visitor {
    type Value = u64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an unsigned integer (or one written as a decimal string)")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<u64, E> {
        Ok(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<u64, E> {
        u64::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<u64, E> {
        whole(v)
            .and_then(|w| u64::try_from(w).ok())
            .ok_or_else(|| E::invalid_value(de::Unexpected::Float(v), &self))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<u64, E> {
        v.trim()
            .parse()
            .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

struct I64Visitor;

impl Visitor<'_> for I64Visitor {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer (or one written as a decimal string)")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
        whole(v)
            .and_then(|w| i64::try_from(w).ok())
            .ok_or_else(|| E::invalid_value(de::Unexpected::Float(v), &self))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<i64, E> {
        v.trim()
            .parse()
            .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

struct F64Visitor;

impl Visitor<'_> for F64Visitor {
    type Value = f64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number (or one written as a string)")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        match v.trim().parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(n),
            _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
        }
    }
}

struct BoolVisitor;

impl Visitor<'_> for BoolVisitor {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a bool (or 0, 1, \"true\", \"false\")")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        Ok(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
        match v {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(E::invalid_value(de::Unexpected::Unsigned(v), &self)),
        }
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
        match v {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(E::invalid_value(de::Unexpected::Signed(v), &self)),
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        match v.trim() {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
        }
    }
}

struct StringVisitor;

impl Visitor<'_> for StringVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string (or a number or bool, read as its text)")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug, PartialEq)]
    struct All {
        #[serde(default, deserialize_with = "opt_u64")]
        u: Option<u64>,
        #[serde(default, deserialize_with = "opt_i64")]
        i: Option<i64>,
        #[serde(default, deserialize_with = "opt_f64")]
        f: Option<f64>,
        #[serde(default, deserialize_with = "opt_bool")]
        b: Option<bool>,
        #[serde(default, deserialize_with = "opt_string")]
        s: Option<String>,
        #[serde(default, deserialize_with = "opt_vec_u64")]
        vu: Option<Vec<u64>>,
    }

    fn read(json: &str) -> Result<All, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn what_was_meant_is_read() {
        let all = read(r#"{"u":"7","i":" -3 ","f":"1.5","b":"true","s":12,"vu":[1,"2",3.0],"unknown":{}}"#).unwrap();
        assert_eq!(
            all,
            All {
                u: Some(7),
                i: Some(-3),
                f: Some(1.5),
                b: Some(true),
                s: Some("12".into()),
                vu: Some(vec![1, 2, 3]),
            }
        );
        let none = read(r#"{"u":null,"i":null,"f":null,"b":null,"s":null,"vu":null}"#).unwrap();
        assert_eq!(none, read("{}").unwrap());
        assert_eq!(read(r#"{"b":0}"#).unwrap().b, Some(false));
        assert_eq!(read(r#"{"s":false}"#).unwrap().s.as_deref(), Some("false"));
    }

    #[test]
    fn what_cannot_be_meant_is_refused_naming_what_was_expected() {
        for (json, expected) in [
            (r#"{"u":"ten"}"#, "unsigned integer"),
            (r#"{"u":-1}"#, "unsigned integer"),
            (r#"{"u":1.5}"#, "unsigned integer"),
            (r#"{"u":{}}"#, "unsigned integer"),
            (r#"{"i":"9223372036854775808"}"#, "integer"),
            (r#"{"f":"NaN"}"#, "number"),
            (r#"{"b":2}"#, "bool"),
            (r#"{"s":[1]}"#, "string"),
            (r#"{"vu":[1,"x"]}"#, "unsigned integer"),
        ] {
            let err = read(json).unwrap_err().to_string();
            assert!(err.contains(expected), "{json}: {err}");
        }
    }
}
