//! How the program ends: one line on stderr naming the problem and the fix, and a documented exit code.

use std::io::Write;
use std::process::ExitCode;

/// Exit code of a call the service answered with an error code.
pub(crate) const EXIT_API_ERROR: u8 = 1;
/// Exit code of bad input: arguments, credentials, endpoint.
pub(crate) const EXIT_BAD_INPUT: u8 = 2;
/// Exit code of a network failure, a timeout or an answer that is not an API envelope.
pub(crate) const EXIT_NETWORK: u8 = 3;
/// Exit code of a failure inside this program.
pub(crate) const EXIT_INTERNAL: u8 = 4;
/// Exit code of a batch stopped by Ctrl-C or SIGTERM before every room was tried (128 + SIGINT, as shells do).
pub(crate) const EXIT_INTERRUPTED: u8 = 130;

/// A failed run: the message for stderr and the exit code.
#[derive(Debug)]
pub(crate) struct Failure {
    message: String,
    code: u8,
}

impl Failure {
    pub(crate) fn bad_input(message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            code: EXIT_BAD_INPUT,
        }
    }

    pub(crate) fn internal(message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            code: EXIT_INTERNAL,
        }
    }

    /// A failure with an explicit exit code (a batch picks its code from the rooms' outcomes).
    pub(crate) fn with_code(message: impl Into<String>, code: u8) -> Self {
        Failure {
            message: message.into(),
            code,
        }
    }

    /// Classifies a client error: API answers, bad input and network failures get their own exit codes.
    pub(crate) fn from_client(e: trtc::Error) -> Self {
        use trtc::Error;
        let code = match &e {
            Error::Api(_) => EXIT_API_ERROR,
            Error::Config { .. } | Error::InvalidRequest(_) | Error::Sign(_) | Error::Credentials(_) => EXIT_BAD_INPUT,
            Error::Transport(_) | Error::Timeout { .. } | Error::UnexpectedResponse { .. } | Error::RateLimit(_) => {
                EXIT_NETWORK
            }
            _ => EXIT_INTERNAL,
        };
        let message = match &e {
            Error::Api(api) => format!("{}: {} (RequestId {})", api.code, api.message, api.request_id),
            other => chain(other),
        };
        Failure { message, code }
    }

    pub(crate) fn report(self) -> ExitCode {
        let mut stderr = std::io::stderr().lock();
        // One line: newlines inside a message (from a server's text) would break scripts reading stderr.
        let _ = writeln!(stderr, "error: {}", self.message.replace(['\r', '\n'], " "));
        ExitCode::from(self.code)
    }
}

/// An error and its causes on one line, each message once: `network error: ...: connection refused`.
pub(crate) fn chain(error: &dyn std::error::Error) -> String {
    let mut line = error.to_string();
    let mut cause = error.source();
    while let Some(e) = cause {
        let text = e.to_string();
        // A cause some library also quotes in its own message adds nothing the second time.
        if !line.ends_with(&text) {
            line.push_str(": ");
            line.push_str(&text);
        }
        cause = e.source();
    }
    line
}

/// Renders clap's errors as one line with the fix, except help and version output, printed as clap does.
pub(crate) fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = e.print();
        return ExitCode::SUCCESS;
    }
    if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        let _ = e.print();
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    // clap spreads one error over several lines (the missing flags are listed below the first one, a tip
    // follows a blank line); its first paragraph, joined, names the flag at fault.
    let rendered = e.render().to_string();
    let paragraph: Vec<&str> = rendered
        .lines()
        .map(str::trim)
        .take_while(|line| !line.is_empty())
        .collect();
    let first = match paragraph.join(" ") {
        joined if joined.is_empty() => "invalid arguments".to_owned(),
        joined => joined.trim_start_matches("error: ").to_owned(),
    };
    Failure::bad_input(format!("{first}; run with --help for usage")).report()
}

/// A panic prints one line without a backtrace or any value that could hold a secret, and exits 4.
pub(crate) fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let _ = writeln!(
            std::io::stderr(),
            "error: internal failure{location}; please report it (no details are printed, they may hold secrets)"
        );
        std::process::exit(i32::from(EXIT_INTERNAL));
    }));
}
