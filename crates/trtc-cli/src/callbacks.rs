//! `trtc callbacks listen` and `trtc callbacks verify`: receive TRTC event callbacks and check their
//! signatures, with trtc-callback's verifier.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clap::{Args, Subcommand};
use serde_json::Value;
use trtc_callback::server::{serve, CallbackService, Handler};
use trtc_callback::{Callback, CallbackKey, Error, Verifier};

use crate::exit::Failure;
use crate::signals;

/// The environment variable the callback key is read from when --key-file is not given.
const KEY_VAR: &str = "TRTC_CALLBACK_KEY";

/// Exit code of a callback that failed a check.
const EXIT_REFUSED: u8 = 1;

#[derive(Debug, Subcommand)]
pub(crate) enum CallbacksCommand {
    /// Receive callbacks on HOST:PORT: print each verified one as a JSON line on stdout, log each refused
    /// request on stderr, answer the service as it expects; until Ctrl-C.
    #[command(after_help = "Examples:
  TRTC_CALLBACK_KEY=yourCallbackKey trtc callbacks listen --addr 0.0.0.0:8080 --sdk-app-id 1400000001
  trtc callbacks listen --addr 127.0.0.1:8080 --sdk-app-id 1400000001 --key-file callback.key | jq .EventType

Each verified callback is printed on stdout as received, with \"verified\": true added, one JSON line each,
and answered 200 {\"code\":0}. A refused one is answered 401 (Sign, signature, SdkAppId) or 400 (CallbackTs,
body size, not JSON, not a callback) and logged on stderr as `refused: <check>: <reason>`. The address
actually bound is printed on stderr at start (port 0 picks a free one).

Exit codes:
  0    stopped by Ctrl-C or SIGTERM
  2    bad arguments: no key, a key that is not 1 to 32 letters and digits, an address that cannot be bound
  4    internal failure")]
    Listen(ListenArgs),
    /// Verify one callback body read from stdin against its Sign header; print the typed event as JSON.
    #[command(after_help = "Examples:
  TRTC_CALLBACK_KEY=yourCallbackKey trtc callbacks verify --sdk-app-id 1400000001 \\
      --sign 'kkoFeO3Oh2ZHnjtg8tEAQhtXK16/KI05W3BQff8IvGA=' < body.json
  trtc callbacks verify --sdk-app-id 1400000001 --sign \"$SIGN\" --key-file callback.key --at 1664209748188 < body.json

The body must be the exact bytes received (the signature covers the raw body, whitespace included).

Exit codes:
  0    verified: the typed event on stdout as one JSON object
  1    refused: the failed check and its reason on stderr
  2    bad arguments: no key, a malformed key, a missing or malformed flag")]
    Verify(VerifyArgs),
}

/// Where the callback key comes from, and the checks' limits.
#[derive(Debug, Args)]
pub(crate) struct KeyArgs {
    /// The application whose callbacks are accepted.
    #[arg(long, value_parser = parse_app_id)]
    pub sdk_app_id: u64,
    /// A file holding the callback key (surrounding whitespace ignored) [default: $TRTC_CALLBACK_KEY].
    #[arg(long)]
    pub key_file: Option<PathBuf>,
    /// How far CallbackTs may be from the clock, in seconds, before a callback is refused as a replay.
    #[arg(long, default_value_t = 300)]
    pub window_secs: u64,
    /// The longest body accepted, in bytes.
    #[arg(long, default_value_t = trtc_callback::DEFAULT_MAX_BODY_LEN)]
    pub max_body_bytes: usize,
}

#[derive(Debug, Args)]
pub(crate) struct ListenArgs {
    /// The address to listen on, HOST:PORT.
    #[arg(long)]
    pub addr: String,
    #[command(flatten)]
    pub key: KeyArgs,
}

#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    /// The Sign header's value.
    #[arg(long)]
    pub sign: String,
    /// Check the window against this time (Unix milliseconds) instead of the clock, for a body recorded earlier.
    #[arg(long)]
    pub at: Option<u64>,
    #[command(flatten)]
    pub key: KeyArgs,
}

/// An SdkAppId: a whole number from 1.
fn parse_app_id(s: &str) -> Result<u64, String> {
    match s.parse::<u64>() {
        Ok(0) => Err("0 is not a valid id: ids start at 1".to_owned()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!(
            "{s:?} is not a whole number: give digits only, e.g. 1400000001"
        )),
    }
}

pub(crate) async fn run(command: CallbacksCommand) -> Result<(), Failure> {
    match command {
        CallbacksCommand::Listen(args) => listen(args).await,
        CallbacksCommand::Verify(args) => verify(args),
    }
}

fn verifier(args: &KeyArgs) -> Result<Verifier, Failure> {
    let key = match &args.key_file {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Failure::bad_input(format!("--key-file {}: {e}", path.display())))?;
            CallbackKey::from_text(&text)
                .map_err(|e| Failure::bad_input(format!("--key-file {}: {e}", path.display())))?
        }
        None => match std::env::var(KEY_VAR) {
            Ok(text) => CallbackKey::from_text(&text).map_err(|e| Failure::bad_input(format!("{KEY_VAR}: {e}")))?,
            Err(_) => {
                return Err(Failure::bad_input(format!(
                    "no callback key: set {KEY_VAR} or pass --key-file FILE (the key of the console's callback \
                     configuration)"
                )))
            }
        },
    };
    Ok(Verifier::new(key, args.sdk_app_id)
        .with_window(Duration::from_secs(args.window_secs))
        .with_max_body_len(args.max_body_bytes))
}

/// Prints verified callbacks on stdout and refusals on stderr, a line each.
struct Printer;

impl Handler for Printer {
    fn accepted(&self, callback: Callback) {
        let mut line = match callback.raw() {
            Value::Object(map) => map.clone(),
            // The verifier accepts only objects; keep the shape anyway.
            other => serde_json::Map::from_iter([("body".to_owned(), other.clone())]),
        };
        line.insert("verified".to_owned(), Value::Bool(true));
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "{}", Value::Object(line));
        let _ = stdout.flush();
    }

    fn refused(&self, error: &Error) {
        let _ = writeln!(
            std::io::stderr().lock(),
            "refused: {}: {} (answered {})",
            error.check(),
            one_line(&error.to_string()),
            error.status()
        );
    }
}

fn one_line(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
}

async fn listen(args: ListenArgs) -> Result<(), Failure> {
    let verifier = verifier(&args.key)?;
    let listener = tokio::net::TcpListener::bind(&args.addr)
        .await
        .map_err(|e| Failure::bad_input(format!("--addr {}: cannot listen there: {e}", args.addr)))?;
    let bound = listener
        .local_addr()
        .map_err(|e| Failure::internal(format!("cannot read the bound address: {e}")))?;
    eprintln!(
        "trtc callbacks: listening on {bound} for application {} (Ctrl-C stops)",
        verifier.sdk_app_id()
    );
    let stop = signals::stopped();
    serve(listener, CallbackService::new(verifier, Printer), stop.wait())
        .await
        .map_err(|e| Failure::internal(format!("the listener failed: {e}")))?;
    eprintln!("trtc callbacks: stopped");
    Ok(())
}

fn verify(args: VerifyArgs) -> Result<(), Failure> {
    let verifier = verifier(&args.key)?;
    let mut body = Vec::new();
    // One byte past the limit is enough to know the body is too large; the rest is not read.
    let limit = u64::try_from(verifier.max_body_len())
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    std::io::stdin()
        .lock()
        .take(limit)
        .read_to_end(&mut body)
        .map_err(|e| Failure::bad_input(format!("cannot read the body from stdin: {e}")))?;
    let now = match args.at {
        Some(ms) => UNIX_EPOCH + Duration::from_millis(ms),
        None => SystemTime::now(),
    };
    let app = verifier.sdk_app_id().to_string();
    let headers = [("Sign", args.sign.trim()), ("SdkAppId", app.as_str())];
    match verifier.verify(headers, &body, now) {
        Ok(callback) => {
            let mut typed = match serde_json::to_value(&callback) {
                Ok(Value::Object(map)) => map,
                _ => return Err(Failure::internal("the verified event could not be written as JSON")),
            };
            typed.insert("Event".to_owned(), Value::from(callback.event().name()));
            typed.insert("verified".to_owned(), Value::Bool(true));
            println!("{}", Value::Object(typed));
            Ok(())
        }
        Err(error) => Err(Failure::with_code(
            format!("refused: {}: {}", error.check(), one_line(&error.to_string())),
            EXIT_REFUSED,
        )),
    }
}
