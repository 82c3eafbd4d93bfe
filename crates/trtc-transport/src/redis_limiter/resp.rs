//! RESP2, the Redis wire protocol: commands go out as arrays of bulk strings, replies come back typed.
//!
//! Only what a rate limiter reads is accepted, with limits: a line is at most 64 KiB, a bulk string at most
//! 1 MiB and arrays nest at most 4 deep, so a confused or hostile peer cannot make the client allocate
//! without end.

use std::io;

use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt};

use crate::BoxFuture;

const MAX_LINE: usize = 64 * 1024;
const MAX_BULK: usize = 1024 * 1024;
const MAX_DEPTH: usize = 4;

/// One reply of the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reply {
    /// `+OK`
    Simple(String),
    /// `-ERR ...`: the server refused the command; the text starts with the error's kind (`NOSCRIPT`, ...).
    Error(String),
    /// `:42`
    Integer(i64),
    /// `$3\r\nabc` (`None` for the null bulk string).
    Bulk(Option<Vec<u8>>),
    /// `*2\r\n...` (`None` for the null array).
    Array(Option<Vec<Reply>>),
}

/// The bytes of one command: `*N` then each argument as a bulk string.
pub(crate) fn encode(args: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + args.iter().map(|a| a.len() + 16).sum::<usize>());
    out.extend_from_slice(format!("*{}\r\n", args.len()).as_bytes());
    for arg in args {
        out.extend_from_slice(format!("${}\r\n", arg.len()).as_bytes());
        out.extend_from_slice(arg);
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// Reads one reply. An error means the stream can no longer be trusted (closed, or not RESP).
pub(crate) fn read_reply<'a, R>(reader: &'a mut R) -> BoxFuture<'a, io::Result<Reply>>
where
    R: AsyncBufRead + Unpin + Send,
{
    read_nested(reader, 0)
}

fn read_nested<'a, R>(reader: &'a mut R, depth: usize) -> BoxFuture<'a, io::Result<Reply>>
where
    R: AsyncBufRead + Unpin + Send,
{
    Box::pin(async move {
        let line = read_line(reader).await?;
        let (kind, rest) = match line.split_first() {
            Some((kind, rest)) => (*kind, rest),
            None => return Err(invalid("an empty line where a reply was expected")),
        };
        let text = || String::from_utf8_lossy(rest).into_owned();
        match kind {
            b'+' => Ok(Reply::Simple(text())),
            b'-' => Ok(Reply::Error(text())),
            b':' => Ok(Reply::Integer(parse_int(rest)?)),
            b'$' => {
                let Some(len) = length(parse_int(rest)?, MAX_BULK)? else {
                    return Ok(Reply::Bulk(None));
                };
                let mut data = vec![0; len + 2];
                reader.read_exact(&mut data).await?;
                if !data.ends_with(b"\r\n") {
                    return Err(invalid("a bulk string not followed by CRLF"));
                }
                data.truncate(len);
                Ok(Reply::Bulk(Some(data)))
            }
            b'*' => {
                if depth >= MAX_DEPTH {
                    return Err(invalid("arrays nested too deep"));
                }
                let Some(len) = length(parse_int(rest)?, 1024)? else {
                    return Ok(Reply::Array(None));
                };
                let mut items = Vec::with_capacity(len);
                for _ in 0..len {
                    items.push(read_nested(reader, depth + 1).await?);
                }
                Ok(Reply::Array(Some(items)))
            }
            other => Err(invalid(&format!("unknown reply type byte 0x{other:02x}"))),
        }
    })
}

/// A line without its CRLF.
async fn read_line<R: AsyncBufRead + Unpin>(reader: &mut R) -> io::Result<Vec<u8>> {
    let mut line = Vec::new();
    let read = (&mut *reader)
        .take(MAX_LINE as u64)
        .read_until(b'\n', &mut line)
        .await?;
    if read == 0 {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "Redis closed the connection",
        ));
    }
    if !line.ends_with(b"\r\n") {
        return Err(invalid("a reply line without CRLF, or longer than 64 KiB"));
    }
    line.truncate(line.len() - 2);
    Ok(line)
}

fn parse_int(digits: &[u8]) -> io::Result<i64> {
    std::str::from_utf8(digits)
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| invalid("a malformed integer"))
}

/// A length of `-1` is the null value; other negative or oversized lengths are refused.
fn length(value: i64, max: usize) -> io::Result<Option<usize>> {
    match value {
        -1 => Ok(None),
        n if n >= 0 && (n as u64) <= max as u64 => Ok(Some(n as usize)),
        n => Err(invalid(&format!("a length of {n}, outside 0..={max}"))),
    }
}

fn invalid(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("not a Redis reply: {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn parse(bytes: &[u8]) -> io::Result<Reply> {
        let mut reader = bytes;
        read_reply(&mut reader).await
    }

    #[test]
    fn encodes_bulk_string_arrays() {
        assert_eq!(
            encode(&[b"EVALSHA", b"ab", b"1", b"k"]),
            b"*4\r\n$7\r\nEVALSHA\r\n$2\r\nab\r\n$1\r\n1\r\n$1\r\nk\r\n".to_vec()
        );
        assert_eq!(encode(&[b""]), b"*1\r\n$0\r\n\r\n".to_vec());
    }

    #[tokio::test]
    async fn parses_each_reply_type() {
        assert_eq!(parse(b"+OK\r\n").await.unwrap(), Reply::Simple("OK".into()));
        assert_eq!(
            parse(b"-NOSCRIPT No matching script.\r\n").await.unwrap(),
            Reply::Error("NOSCRIPT No matching script.".into())
        );
        assert_eq!(parse(b":-12\r\n").await.unwrap(), Reply::Integer(-12));
        assert_eq!(
            parse(b"$3\r\na\r\n\r\n").await.unwrap(),
            Reply::Bulk(Some(b"a\r\n".to_vec()))
        );
        assert_eq!(parse(b"$-1\r\n").await.unwrap(), Reply::Bulk(None));
        assert_eq!(parse(b"*-1\r\n").await.unwrap(), Reply::Array(None));
        assert_eq!(
            parse(b"*2\r\n$10\r\n1767225600\r\n$6\r\n123456\r\n").await.unwrap(),
            Reply::Array(Some(vec![
                Reply::Bulk(Some(b"1767225600".to_vec())),
                Reply::Bulk(Some(b"123456".to_vec()))
            ]))
        );
    }

    #[tokio::test]
    async fn refuses_what_is_not_resp() {
        for bad in [
            &b""[..],
            b"\r\n",
            b"OK\r\n",
            b":12",
            b":x\r\n",
            b"$5\r\nab\r\n",
            b"$2\r\nabcd",
            b"$-2\r\n",
            b"$99999999999\r\n",
            b"*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n",
        ] {
            assert!(parse(bad).await.is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
    }
}
