//! `trtc completions <shell>`: the completion script, generated from the grammar the binary parses.

use clap::CommandFactory;

use crate::args::{Cli, CompletionsArgs};
use crate::exit::Failure;

pub(crate) fn run(args: CompletionsArgs) -> Result<(), Failure> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "trtc", &mut script);
    let text = String::from_utf8(script).map_err(|e| Failure::internal(format!("completion script: {e}")))?;
    crate::service::print_line(text.trim_end())
}
