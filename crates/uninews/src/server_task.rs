//! The background task of a loopback HTTP server (the sample site, a replay): started
//! with a stop signal, stopped gracefully by [`ServerTask::shutdown`] or abruptly when
//! dropped.

use std::future::Future;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// How long [`ServerTask::shutdown`] lets in-flight responses finish.
const GRACE: Duration = Duration::from_secs(2);

/// A spawned server and the means to stop it.
#[derive(Debug)]
pub struct ServerTask {
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl ServerTask {
    /// Spawn `serve(stopped)` (call from a tokio runtime): the future should stop
    /// accepting once `stopped` resolves. An error it returns is logged as `name`'s.
    pub fn spawn<F>(name: &'static str, serve: impl FnOnce(Stopped) -> F) -> ServerTask
    where
        F: Future<Output = std::io::Result<()>> + Send + 'static,
    {
        let (stop, stopped) = oneshot::channel::<()>();
        let served = serve(Stopped(stopped));
        let task = tokio::spawn(async move {
            if let Err(e) = served.await {
                tracing::warn!("{name} stopped: {e}");
            }
        });
        ServerTask {
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// Stop accepting, let in-flight responses finish (at most 2 s), then stop.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(mut task) = self.task.take()
            && tokio::time::timeout(GRACE, &mut task).await.is_err()
        {
            task.abort();
        }
    }
}

impl Drop for ServerTask {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// Resolves when the server is asked to stop (for `with_graceful_shutdown`).
#[derive(Debug)]
pub struct Stopped(oneshot::Receiver<()>);

impl Stopped {
    /// Wait for the stop signal (or for the [`ServerTask`] to be dropped).
    pub async fn wait(self) {
        let _ = self.0.await;
    }
}
