//! `cargo xtask vectors`: regenerates the official-SDK signing vectors of trtc-sign.
//!
//! Makes a Python venv under target/, installs the official Tencent Cloud Python SDK into it and runs
//! xtask/vectors/generate.py, which writes `crates/trtc-sign/tests/vectors/py-*.json`. The output is
//! committed, so the tests need no Python; run this after changing the generator or the pinned SDK.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The SDK release the committed vectors come from. Bump it on purpose, regenerate, and review the diff.
const SDK: &str = "tencentcloud-sdk-python-common==3.1.195";

pub(crate) fn run(root: &Path) -> Result<(), String> {
    let python = venv(&root.join("target").join("vectors-venv"))?;
    crate::run(
        Command::new(&python)
            .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check"])
            .arg(SDK),
    )?;
    crate::run(
        Command::new(&python)
            .arg(root.join("xtask").join("vectors").join("generate.py"))
            .arg("--out")
            .arg(root.join("crates").join("trtc-sign").join("tests").join("vectors")),
    )
}

/// The Python of a venv at `venv`, made first if there is none.
pub(crate) fn venv(venv: &Path) -> Result<PathBuf, String> {
    let python = venv_python(venv);
    if !python.exists() {
        let system_python = if cfg!(windows) { "python" } else { "python3" };
        crate::run(Command::new(system_python).arg("-m").arg("venv").arg(venv))
            .map_err(|e| format!("{e} (is Python 3 with the venv module installed?)"))?;
    }
    Ok(python)
}

fn venv_python(venv: &Path) -> PathBuf {
    if cfg!(windows) {
        venv.join("Scripts").join("python.exe")
    } else {
        venv.join("bin").join("python")
    }
}
