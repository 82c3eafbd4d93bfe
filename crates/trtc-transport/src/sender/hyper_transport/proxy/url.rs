//! Proxy URLs as a user writes them, checked: each mistake is an error saying what to fix, and a good URL
//! is written the one way hyper-util's matcher reads it.

/// `scheme://[userinfo@]host:port` for `url`: the scheme given or `http`, the host in lower case, the
/// scheme's default port filled in; or what is wrong with `url`.
pub(super) fn canonical(url: &str) -> Result<String, String> {
    let url = url.trim();
    let (scheme, rest) = match url.split_once("://") {
        None => ("http", url),
        Some((scheme, rest)) => match scheme.to_ascii_lowercase().as_str() {
            "http" => ("http", rest),
            "socks5" => ("socks5", rest),
            "socks5h" => ("socks5h", rest),
            "https" => {
                return Err(
                    "https:// proxies (TLS to the proxy) are not supported: give the proxy as http://host:port; \
                     the tunnel to the service is still TLS end to end"
                        .into(),
                )
            }
            _ => {
                return Err(format!(
                    "the scheme {scheme:?} is not supported: use http://, socks5:// or socks5h://"
                ))
            }
        },
    };
    let (userinfo, hostport) = match rest.rsplit_once('@') {
        Some((userinfo, hostport)) => (Some(userinfo), hostport),
        None => (None, rest),
    };
    let hostport = hostport.strip_suffix('/').unwrap_or(hostport);
    if hostport.contains(['/', '?', '#']) {
        return Err(format!(
            "give only {scheme}://[user:password@]host[:port], without a path or query"
        ));
    }
    if let Some(userinfo) = userinfo {
        check_userinfo(userinfo, scheme != "http")?;
    }
    let default_port = if scheme == "http" { 80 } else { 1080 };
    let (host, port) = split_host_port(hostport, default_port)?;
    let userinfo = userinfo.map(|u| format!("{u}@")).unwrap_or_default();
    Ok(format!("{scheme}://{userinfo}{host}:{port}"))
}

/// `user[:password]`, each percent-encoded where needed; SOCKS5 carries each in at most 255 bytes.
fn check_userinfo(userinfo: &str, socks: bool) -> Result<(), String> {
    let (user, password) = userinfo.split_once(':').unwrap_or((userinfo, ""));
    for (part, what) in [(user, "user name"), (password, "password")] {
        if part.contains('@') {
            return Err(format!("write an '@' in the {what} as %40"));
        }
        if !part.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(format!(
                "the {what} has a space or control character: percent-encode it"
            ));
        }
        let decoded = percent_decode(part).ok_or_else(|| format!("the {what} has an invalid %-escape"))?;
        if String::from_utf8(decoded.clone()).is_err() {
            return Err(format!("the {what} is not UTF-8 once %-decoded"));
        }
        if socks && decoded.len() > 255 {
            return Err(format!("a SOCKS5 {what} is at most 255 bytes"));
        }
    }
    if user.is_empty() {
        return Err("the user name before '@' is empty".into());
    }
    Ok(())
}

fn split_host_port(hostport: &str, default_port: u16) -> Result<(String, u16), String> {
    let (host, port) = if let Some(after_bracket) = hostport.strip_prefix('[') {
        let (ip, tail) = after_bracket
            .split_once(']')
            .ok_or("an IPv6 address must be closed with ']'")?;
        if ip.parse::<std::net::Ipv6Addr>().is_err() {
            return Err(format!("[{ip}] is not an IPv6 address"));
        }
        let port = match tail {
            "" => None,
            _ => Some(tail.strip_prefix(':').ok_or("expected ':' and a port after ']'")?),
        };
        (format!("[{ip}]"), port)
    } else {
        match hostport.rsplit_once(':') {
            Some((host, port)) => (host.to_string(), Some(port)),
            None => (hostport.to_string(), None),
        }
    };
    if host.is_empty() || host == "[]" {
        return Err("the proxy host is missing: give scheme://host:port".into());
    }
    if !host.starts_with('[')
        && !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
    {
        return Err(format!("{host:?} is not a valid host name"));
    }
    let port = match port {
        None => default_port,
        Some(port) => match port.parse::<u16>() {
            Ok(p) if p != 0 => p,
            _ => return Err(format!("the port {port:?} is not a number from 1 to 65535")),
        },
    };
    Ok((host.to_ascii_lowercase(), port))
}

fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len());
    let mut bytes = s.bytes();
    while let Some(b) = bytes.next() {
        if b == b'%' {
            let hex = [bytes.next()?, bytes.next()?];
            out.push(u8::from_str_radix(std::str::from_utf8(&hex).ok()?, 16).ok()?);
        } else {
            out.push(b);
        }
    }
    Some(out)
}

/// Echoes a proxy URL in an error with the credentials replaced, so a typo never leaks a password.
pub(super) fn redact(url: &str) -> String {
    match url.rsplit_once('@') {
        Some((before, after)) => match before.split_once("://") {
            Some((scheme, _)) => format!("{scheme}://***@{after}"),
            None => format!("***@{after}"),
        },
        None => url.to_string(),
    }
}
