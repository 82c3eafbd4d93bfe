//! `trtc call`: any action of any API 3.0 service, as the official SDKs' common client sends it; a TRTC action
//! of the generated set is typed: its body read into the request type before anything is signed, its answer
//! printed from the response type.

use std::future::Future;
use std::io::Read;
use std::pin::Pin;

use serde_json::Value;
use trtc::model::actions::{self, ActionVisitor};
use trtc::model::{read_request_value, StreamingAction, TypedAction, TRTC_SERVICE, TRTC_VERSION};
use trtc::{Client, Region};

use crate::args::{CallArgs, Output};
use crate::exit::{Failure, EXIT_API_ERROR};
use crate::service::{self, parse_region, print_line};

/// A typed call of one action, as a future the visitor builds for the action's own types.
type TypedCall = Pin<Box<dyn Future<Output = Result<(), Failure>> + Send>>;

/// Reads the body into the action's request type, sends it, prints the answer from its response type.
struct Typed {
    client: Client,
    body: Value,
    output: Output,
}

impl ActionVisitor for Typed {
    type Output = TypedCall;

    fn visit<A: TypedAction>(self) -> TypedCall {
        Box::pin(async move {
            let request: A = read_request_value(self.body).map_err(|e| Failure::bad_input(format!("--json: {e}")))?;
            let answer = self.client.call(&request).await.map_err(Failure::from_client)?;
            let value = serde_json::to_value(&answer)
                .map_err(|e| Failure::internal(format!("cannot print the answer: {e}")))?;
            print_value(&value, self.output)
        })
    }

    fn visit_streaming<A: TypedAction + StreamingAction>(self) -> TypedCall {
        Box::pin(async move {
            let request: A = read_request_value(self.body).map_err(|e| Failure::bad_input(format!("--json: {e}")))?;
            let mut events = self.client.call_stream(&request).await.map_err(Failure::from_client)?;
            // One JSON line per event as it arrives; an error event ends the run with exit 1 and its code.
            while let Some(event) =
                std::future::poll_fn(|cx| futures_core::Stream::poll_next(Pin::new(&mut events), cx)).await
            {
                match event {
                    Ok(event) => {
                        let value = serde_json::to_value(&event)
                            .map_err(|e| Failure::internal(format!("cannot print an event: {e}")))?;
                        print_line(&value.to_string())?;
                    }
                    Err(trtc::Error::Api(api)) => {
                        return Err(Failure::with_code(
                            format!("{}: {} (RequestId {})", api.code, api.message, api.request_id),
                            EXIT_API_ERROR,
                        ))
                    }
                    Err(e) => return Err(Failure::from_client(e)),
                }
            }
            Ok(())
        })
    }
}

fn print_value(value: &Value, output: Output) -> Result<(), Failure> {
    let printed = match output {
        Output::Json => value.to_string(),
        Output::Text => serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string()),
    };
    print_line(&printed)
}

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
    let service = args.service.as_deref().unwrap_or(TRTC_SERVICE);
    let typed = !args.raw
        && service == TRTC_SERVICE
        && args.version.as_deref().is_none_or(|v| v == TRTC_VERSION)
        && actions::find(&args.action).is_some();
    let version = match (&args.version, service) {
        (Some(version), _) => version.as_str(),
        (None, TRTC_SERVICE) => TRTC_VERSION,
        (None, other) => {
            return Err(Failure::bad_input(format!(
            "--version is required for the service {other:?}: give the action's API version, e.g. --version 2017-03-12"
        )))
        }
    };
    let client = service::client(region, args.endpoint.as_deref(), args.profile.as_deref()).await?;
    if typed {
        let call = Typed {
            client: client.clone(),
            body,
            output: args.output,
        };
        return match actions::visit(&args.action, call) {
            Some(run) => run.await,
            // The binary is built with every product area, so every listed action has its types.
            None => Err(Failure::internal(format!(
                "{} is listed but not built into this binary: send it with --raw --service trtc --version {TRTC_VERSION}",
                args.action
            ))),
        };
    }
    let answer = client
        .call_json(service, &args.action, version, body)
        .await
        .map_err(Failure::from_client)?;
    print_value(&answer, args.output)
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
