//! Ctrl-C and SIGTERM: how a long-running subcommand learns it should stop.

/// Ctrl-C, and SIGTERM where there is one (what CI runners and `kill` send), registered at creation.
pub(crate) struct Stop {
    #[cfg(unix)]
    term: Option<tokio::signal::unix::Signal>,
}

pub(crate) fn stopped() -> Stop {
    Stop {
        #[cfg(unix)]
        term: tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok(),
    }
}

impl Stop {
    pub(crate) async fn wait(self) {
        #[cfg(unix)]
        if let Some(mut term) = self.term {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
        let _ = tokio::signal::ctrl_c().await;
    }
}
