//! `trtc call`: any action of any API 3.0 service, as the official SDKs' common client sends it.

use std::io::Read;

use serde_json::Value;
use trtc::Region;

use crate::args::{CallArgs, Output};
use crate::exit::Failure;
use crate::service::{self, parse_region, print_line};

pub(crate) async fn run(args: CallArgs) -> Result<(), Failure> {
    if args.action.is_empty() || !args.action.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(Failure::bad_input(format!(
            "{:?} is not an action name: give it as the API documents it, e.g. DismissRoom",
            args.action
        )));
    }
    let body = body(&args.json)?;
    let region = match &args.region {
        Some(region) => parse_region(region)?,
        None => Region::ApGuangzhou,
    };
    let client = service::client(region, args.endpoint.as_deref(), args.profile.as_deref()).await?;
    let answer = client
        .call_json(&args.service, &args.action, &args.version, body)
        .await
        .map_err(Failure::from_client)?;
    let printed = match args.output {
        Output::Json => answer.to_string(),
        Output::Text => serde_json::to_string_pretty(&answer).unwrap_or_else(|_| answer.to_string()),
    };
    print_line(&printed)
}

/// `--json`: the object itself, `@FILE`, or `-` for stdin.
fn body(arg: &str) -> Result<Value, Failure> {
    let (text, origin) = if arg == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Failure::bad_input(format!("--json -: cannot read stdin: {e}")))?;
        (text, "--json - (stdin)".to_owned())
    } else if let Some(path) = arg.strip_prefix('@') {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Failure::bad_input(format!("--json @{path}: cannot read the file: {e}")))?;
        (text, format!("--json @{path}"))
    } else {
        (arg.to_owned(), "--json".to_owned())
    };
    let value: Value = serde_json::from_str(&text).map_err(|e| {
        Failure::bad_input(format!(
            "{origin}: not JSON ({e}): give an object such as '{{\"SdkAppId\":1400000001,\"RoomId\":1234}}'"
        ))
    })?;
    if !value.is_object() {
        return Err(Failure::bad_input(format!(
            "{origin}: the body must be a JSON object such as '{{\"SdkAppId\":1400000001}}', not {}",
            kind(&value)
        )));
    }
    Ok(value)
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
