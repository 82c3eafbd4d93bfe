//! The `application/x-www-form-urlencoded` form of a query string or a v1 form body: `&`-separated
//! `name=value` pairs, percent-decoded, in the order sent.

/// The first value of the parameter `name` among decoded `(name, value)` pairs.
pub(crate) fn first_value<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// The `&`-separated `name=value` pairs of a query string or an `application/x-www-form-urlencoded` body,
/// percent-decoded (`+` is a space), in the order sent; an entry without `=` has an empty value.
pub(crate) fn decoded_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(key), percent_decode(value))
        })
        .collect()
}

/// Decodes `%XX` escapes and `+` (a space, as HTML forms and Python's `urlencode` write it). Invalid
/// escapes stay as they are; invalid UTF-8 is replaced, so the value then fails its own checks.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex_value(bytes[i + 1]), hex_value(bytes[i + 2])) {
                (Some(hi), Some(lo)) => {
                    out.push(hi << 4 | lo);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_are_decoded_in_order_and_lists_stay_flat() {
        let pairs = decoded_pairs("B=2&UserIds.0=a%2Bb&&A&Signature=x%2Fy%3D+z");
        let expected = [("B", "2"), ("UserIds.0", "a+b"), ("A", ""), ("Signature", "x/y= z")];
        assert_eq!(pairs.len(), expected.len());
        for ((k, v), (ek, ev)) in pairs.iter().zip(expected) {
            assert_eq!((k.as_str(), v.as_str()), (ek, ev));
        }
    }

    #[test]
    fn invalid_escapes_stay_as_they_are() {
        assert_eq!(percent_decode("%"), "%");
        assert_eq!(percent_decode("%4"), "%4");
        assert_eq!(percent_decode("%41%zz"), "A%zz");
    }
}
