//! The crate's error: a configuration the emulator cannot run with, or an admin request about a task it
//! does not have.

use std::fmt;

/// A configuration (Rust builder, config file, `--fault` text, admin API body) the emulator refuses.
/// The message names the field and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A field is missing, of the wrong type or out of range.
    Config {
        /// The field, e.g. `credentials[0].secret_key` or `fault`.
        field: String,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// No task has this TaskId (it never existed, or it ended).
    NoSuchTask {
        /// The TaskId asked for.
        task_id: String,
    },
}

impl Error {
    pub(crate) fn config(field: impl Into<String>, message: impl Into<String>) -> Error {
        Error::Config {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config { field, message } => write!(f, "{field}: {message}"),
            Error::NoSuchTask { task_id } => write!(
                f,
                "no task has the TaskId {task_id:?} (it never started, or it ended): list the tasks with \
                 Emulator::tasks or GET /_emulator/tasks"
            ),
        }
    }
}

impl std::error::Error for Error {}
